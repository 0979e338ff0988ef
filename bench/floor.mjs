#!/usr/bin/env node
/**
 * The floor under the whole-process compile time that the committed parts set, for one input:
 * how long Node takes to start and exit doing nothing (`node -e 0`), how long `pfc --version`
 * takes (Node plus loading pfc's entry), and how long Chevrotain's lexer and parser take on the
 * input in a fresh process (bench/stages.mjs, summed over the chunks; cold, as in a real run).
 * Node's start plus the lex and the parse is a lower bound of `pfc compile` on that input, before
 * resolving, checking, lowering, rendering or writing anything.
 *
 *   node bench/floor.mjs FILE.pf [--runs 5] [--goal-ms 300] [--json OUT.json]
 */

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, fmtMs, load1, median, pfcRoot, round, table, timeProcess } from './lib.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!file) {
  console.error('usage: node bench/floor.mjs FILE.pf [--runs 5] [--goal-ms 300] [--json OUT.json]');
  process.exit(2);
}
const runs = Number(flag('--runs', '5'));
const goalMs = Number(flag('--goal-ms', '300'));
const cli = join(pfcRoot(), 'dist', 'cli', 'pfc.js');

const loadBefore = load1();
const samples = { node: [], version: [], lex: [], parse: [], compile: [] };
// Without the peak-RSS preload of timeProcess's node mode: it costs a process ~50 ms itself.
const wall = (argv) => timeProcess([process.execPath, ...argv], { node: false }).wallMs;
// Interleaved, so that a change of load touches every measure alike.
for (let i = 0; i < runs; i++) {
  samples.node.push(wall(['-e', '0']));
  samples.version.push(wall([cli, '--version']));
  const stages = spawnSync(process.execPath, [join(benchDir, 'stages.mjs'), file, 'nftables'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (stages.status !== 0) {
    console.error(stages.stderr);
    process.exit(1);
  }
  const { ms } = JSON.parse(stages.stdout);
  samples.lex.push(ms.lex);
  samples.parse.push(ms.parse);
  samples.compile.push(wall([cli, 'compile', file, '--target', 'nftables']));
}
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const floorMs = m.node + m.lex + m.parse;
const rows = [
  ['measure', `median of ${runs}`],
  ['node -e 0 (start and exit)', fmtMs(m.node)],
  ['pfc --version (start, load the entry, exit)', fmtMs(m.version)],
  ['Chevrotain lexer, whole file (cold)', fmtMs(m.lex)],
  ['Chevrotain parser, whole file (cold)', fmtMs(m.parse)],
  ['floor: node + lex + parse', fmtMs(floorMs)],
  ['pfc compile --target nftables (whole process)', fmtMs(m.compile)],
];
console.log(`${file} (load ${loadBefore} -> ${load1()})\n`);
console.log(table(rows, (c) => c > 0));
console.log(`\nfloor ${fmtMs(floorMs)} against a goal of ${fmtMs(goalMs)}: ${floorMs <= goalMs ? 'the goal is above the floor' : 'the floor alone is over the goal'}`);
const json = flag('--json');
if (json) writeFileSync(json, `${JSON.stringify({ file, runs, goalMs, medianMs: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v)])), floorMs: round(floorMs), samples }, null, 2)}\n`);

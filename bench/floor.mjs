#!/usr/bin/env node
/**
 * The floor under the whole-process compile time that the committed parts set, for one input:
 * how long Node takes to start and exit doing nothing (`node -e 0`), how long `pfc --version`
 * takes (Node plus loading pfc's entry), and how long Chevrotain's lexer and parser take on the
 * input in a fresh process that does nothing else (chunk by chunk as pfc reads a file, each
 * chunk's statements dropped at once; cold, as in a real run). Node's start plus the lex and the
 * parse is a lower bound of `pfc compile` on that input, before resolving, checking, lowering,
 * rendering or writing anything.
 *
 *   node bench/floor.mjs FILE.pf [--runs 5] [--goal-ms 300] [--json OUT.json]
 *   node bench/floor.mjs --syntax-only FILE.pf      (the child: prints {"lex":ms,"parse":ms})
 */

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { fmtMs, load1, median, pfcRoot, round, table, timeProcess } from './lib.mjs';

const args = process.argv.slice(2);

if (args[0] === '--syntax-only') {
  // As syntax/read-syntax.js reads a file, with nothing after the parser: lex and parse timed apart.
  const dist = pathToFileURL(join(pfcRoot(), 'dist', 'syntax', '/'));
  const [{ tokenize }, { parseTokens }, { chunkEnd }] = await Promise.all(['lexer.js', 'parser.js', 'read-syntax.js'].map((m) => import(new URL(m, dist).href)));
  const text = readFileSync(args[1], 'utf8');
  const ms = { lex: 0, parse: 0 };
  let statements = 0;
  for (let from = 0; from < text.length; ) {
    const to = chunkEnd(text, from);
    const piece = text.slice(from, to);
    const t0 = performance.now();
    const lexed = tokenize(piece, args[1], from);
    const t1 = performance.now();
    statements += parseTokens(lexed.tokens, args[1], piece.length, lexed.errorOffsets, from).statements.length;
    ms.lex += t1 - t0;
    ms.parse += performance.now() - t1;
    from = to;
  }
  process.stdout.write(`${JSON.stringify({ ...ms, statements })}\n`);
  process.exit(0);
}

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
  const syntax = spawnSync(process.execPath, [process.argv[1], '--syntax-only', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (syntax.status !== 0) {
    console.error(syntax.stderr);
    process.exit(1);
  }
  const ms = JSON.parse(syntax.stdout);
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

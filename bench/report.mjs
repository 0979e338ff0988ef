#!/usr/bin/env node
/**
 * Markdown tables from a bench JSON (bench-results/bench.json), for docs/performance.md:
 *
 *   node bench/report.mjs [bench-results/bench.json] [--kernel kernel.json] [--peers peers.json]
 *
 * Kernel and peer results come from the same JSON (run with --kernel / --peers) or from files of
 * their own (the `kernel` / `peers` objects that bench/kernel.mjs and bench/peers.mjs return).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtMb, fmtMs, repoRoot, stageCells } from './lib.mjs';

const { values, positionals } = parseArgs({ options: { kernel: { type: 'string' }, peers: { type: 'string' } }, allowPositionals: true });
const file = positionals[0] ?? join(repoRoot, 'bench-results', 'bench.json');
const report = JSON.parse(readFileSync(file, 'utf8'));
const kernel = values.kernel ? JSON.parse(readFileSync(values.kernel, 'utf8')) : report.kernel;
const peers = values.peers ? JSON.parse(readFileSync(values.peers, 'utf8')) : report.peers;

const md = (rows) => [`| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`)].join('\n');
const pct = (part, whole) => (part === null || part === undefined || !whole ? '' : ` (${Math.round((100 * part) / whole)}%)`);
const out = [];
const m = report.meta;
out.push(`Commit ${m.commit}${m.dirtySrc ? ' (with uncommitted src changes)' : ''}, ${m.date.slice(0, 16).replace('T', ' ')} UTC, Node ${m.node}, ${m.cpus} CPUs (${m.cpuModel}), load average ${m.loadAtStart} at start, ${m.loadAtEnd} at end.`);
if (report.floor && Object.keys(report.floor).length) {
  out.push('', `Start-up floor: ${Object.entries(report.floor).map(([k, v]) => `\`${k}\` ${fmtMs(v.wallMs)} wall, ${fmtMs(v.cpuMs)} CPU, ${fmtMb(v.maxRssKb)}`).join('; ')}.`);
}
if (report.results?.length) {
  const rows = [['size', 'target', 'input', 'runs', 'wall median', 'CPU median', 'peak RSS', 'lex+parse', 'resolve+check', 'lower+render', 'pipeline', 'import', 'output', 'load']];
  for (const r of report.results) {
    const s = r.stagesMs;
    const w = r.wallMs.median;
    rows.push([
      r.size,
      r.target,
      `${r.input}${r.note ? ` *(${r.note})*` : ''}`,
      r.runs,
      fmtMs(w),
      fmtMs(r.cpuMs?.median),
      fmtMb(r.maxRssKb.max),
      ...stageCells(s, pct),
      r.outputBytes ? `${Math.round(r.outputBytes / 1024)} KB` : '-',
      r.load.after,
    ]);
  }
  out.push('', md(rows));
  const detail = [['size', 'target', 'lex', 'parse', 'resolve', 'validate', 'lower', 'unsupported', 'toViewModel', 'render']];
  for (const r of report.results.filter((x) => x.stagesMs)) {
    const s = r.stagesMs;
    detail.push([r.size, r.target, ...['lex', 'parse', 'resolve', 'validate', 'lower', 'unsupported', 'toViewModel', 'render'].map((k) => fmtMs(s[k]))]);
  }
  out.push('', 'Stage by stage (in-process, median):', '', md(detail));
}
if (report.goals?.length) out.push('', md([['goal', 'measured', 'result'], ...report.goals.map((g) => [g.goal, g.value, g.pass ? 'pass' : '**fail**'])]));
if (peers) {
  const rows = [['tool', 'command', 'runs', 'wall median', 'wall min', 'CPU median', 'peak RSS']];
  for (const t of peers.tools) rows.push(t.skipped ? [t.tool, `skipped: ${t.skipped}`, '-', '-', '-', '-', '-'] : [t.tool, `\`${t.command}\``, t.runs, fmtMs(t.wallMs.median), fmtMs(t.wallMs.min), fmtMs(t.cpuMs?.median), fmtMb(t.maxRssKb)]);
  out.push('', `Peers, the issue's ${peers.forwards} forwards (load ${peers.load.before} -> ${peers.load.after}):`, '', md(rows));
}
if (kernel && !kernel.skipped) {
  out.push('', `Kernel, ${kernel.nftVersion}, load ${kernel.load.before} -> ${kernel.load.after}${kernel.error ? `, error: ${kernel.error}` : ''}:`);
  out.push('', md([['`nft -f` (whole process)', 'runs', 'wall median', 'CPU median'], ...kernel.nftLoad.map((l) => [l.form, l.runs, fmtMs(l.wallMs), fmtMs(l.cpuMs)])]));
  out.push('', `pfc / hand-written single map: ${kernel.nftLoadRatio}x wall, ${kernel.nftLoadCpuRatio ?? '-'}x CPU (goal <= 1.5x).`);
  out.push('', md([[`new TCP connections/s (${kernel.seconds} s, ${kernel.concurrency} in flight)`, 'rounds', 'median', 'each round', 'errors'], ...kernel.rates.map((r) => [r.form, r.rounds, r.perSecond, r.all.join(', '), r.errors])]));
  out.push('', `pfc 10,000 / pfc 1 forward: ${kernel.rateRatio}x of the medians${kernel.pairedRatio !== undefined ? `, ${kernel.pairedRatio}x the median of the rounds' ratios (${kernel.pairedRatios.join(', ')})` : ''} (goal >= 0.9x).`);
} else if (kernel?.skipped) out.push('', `Kernel: skipped (${kernel.skipped}).`);
console.log(out.join('\n'));

#!/usr/bin/env node
/**
 * CPU profile of one whole `pfc compile` process, summarised: top functions by self time, and
 * the inclusive time of pfc's own stage functions (lex, parse, resolve, validate, lower, ...).
 *
 *   node bench/profile.mjs FILE.pf [--target nftables] [--top 25] [--json OUT.json]
 *   node bench/profile.mjs --summarise PROFILE.cpuprofile [--top 25]
 *
 * Runs `node --cpu-prof dist/cli/pfc.js compile FILE --target T -o /tmp/...` and reads the
 * .cpuprofile that V8 writes (Chrome DevTools format: nodes with callFrame, children, and
 * samples with timeDeltas).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.PFC_ROOT ? process.env.PFC_ROOT : join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Functions whose inclusive time is reported, by name: pfc's pipeline stages. */
export const STAGE_FUNCTIONS = ['tokenize', 'parseTokens', 'load', 'resolve', 'validate', 'lower', 'unsupported', 'toViewModel', 'render', 'writeAtomic', 'printText'];

const where = (cf) => {
  const url = cf.url ? cf.url.replace(/^file:\/\//, '') : '';
  const file = url ? (url.startsWith(root) ? relative(root, url) : url.replace(/^.*node_modules\//, '')) : '(native)';
  return `${file}:${cf.lineNumber + 1}`;
};

/** Self and inclusive milliseconds per function (name + location) of a .cpuprofile. */
export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0; // the delta after a sample is the time spent in it
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  // Where the time went, by what the sample's stack is in: the compile command, module loading
  // (start-up), the garbage collector (V8 attributes GC to a root node of its own), or the rest.
  const category = (id) => {
    let loading = false;
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      if (cf.functionName === 'compileCommand') return 'compile command (read, pipeline, write)';
      if (/node:internal\/modules|compileSourceTextModule|moduleEvaluation|ModuleJob/.test(`${cf.url} ${cf.functionName}`)) loading = true;
    }
    const name = byId.get(id).callFrame.functionName;
    if (name === '(garbage collector)') return 'garbage collector';
    if (loading) return 'module loading (start-up)';
    if (name === '(program)' || name === '(idle)') return '(program) and (idle): V8 and Node internals';
    return 'other (module top level, exit)';
  };
  const byCategory = new Map();
  for (const [id, us] of selfUs) byCategory.set(category(id), (byCategory.get(category(id)) ?? 0) + us);
  const self = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame)}`;
    self.set(key, (self.get(key) ?? 0) + us);
    // Inclusive: count each function once per sample stack (recursion counted once).
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur).callFrame;
      const k = `${cf.functionName || '(anonymous)'} ${where(cf)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const ms = (us) => Math.round(us / 100) / 10;
  const topSelf = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, selfMs: ms(us), share: Math.round((1000 * us) / total) / 10 }));
  const stages = [...inclusive.entries()]
    .filter(([k]) => STAGE_FUNCTIONS.includes(k.split(' ')[0]) && k.includes('dist/'))
    .sort((a, b) => b[1] - a[1])
    .map(([fn, us]) => ({ fn, inclusiveMs: ms(us), share: Math.round((1000 * us) / total) / 10 }));
  const topInclusive = [...inclusive.entries()]
    .filter(([k]) => k.includes('dist/'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, inclusiveMs: ms(us), share: Math.round((1000 * us) / total) / 10 }));
  const categories = [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([what, us]) => ({ what, ms: ms(us), share: Math.round((1000 * us) / total) / 10 }));
  return { totalMs: ms(total), categories, topSelf, stages, topInclusive };
}

/** Profiles one compile; returns the summary (and keeps the .cpuprofile when `keep` is a path). */
export function profileCompile(file, target = 'nftables', { top = 25, keep } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pfc-prof-'));
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(root, 'dist/cli/pfc.js'), 'compile', file, '--target', target, '-o', join(dir, 'out')], {
      encoding: 'utf8',
      timeout: 3_600_000,
    });
    if (r.status !== 0 && r.status !== 1) throw new Error(`compile failed (${r.status ?? r.signal}): ${r.stderr.slice(0, 500)}`);
    const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!name) throw new Error('no .cpuprofile written');
    const text = readFileSync(join(dir, name), 'utf8');
    if (keep) writeFileSync(keep, text);
    return summarise(JSON.parse(text), top);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printSummary(s, out = console.log) {
  out(`total sampled: ${s.totalMs} ms`);
  for (const c of s.categories ?? []) out(`  ${String(c.ms).padStart(9)} ms ${String(c.share).padStart(5)}%  ${c.what}`);
  out('top self time:');
  for (const t of s.topSelf) out(`  ${String(t.selfMs).padStart(9)} ms ${String(t.share).padStart(5)}%  ${t.fn}`);
  out('pfc stages (inclusive):');
  for (const t of s.stages) out(`  ${String(t.inclusiveMs).padStart(9)} ms ${String(t.share).padStart(5)}%  ${t.fn}`);
  out('top inclusive (pfc code):');
  for (const t of s.topInclusive) out(`  ${String(t.inclusiveMs).padStart(9)} ms ${String(t.share).padStart(5)}%  ${t.fn}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (flag, fallback) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const top = Number(opt('--top', '25'));
  let s;
  if (args[0] === '--summarise') s = summarise(JSON.parse(readFileSync(args[1], 'utf8')), top);
  else if (args[0]) s = profileCompile(args[0], opt('--target', 'nftables'), { top, keep: opt('--keep') });
  else {
    console.error('usage: node bench/profile.mjs FILE.pf [--target T] [--top N] [--keep OUT.cpuprofile] [--json OUT.json]\n       node bench/profile.mjs --summarise PROFILE.cpuprofile');
    process.exit(2);
  }
  printSummary(s);
  const json = opt('--json');
  if (json) writeFileSync(json, `${JSON.stringify(s, null, 2)}\n`);
}

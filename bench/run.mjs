#!/usr/bin/env node
/**
 * pfc's benchmark (`npm run bench` = build, then this). For each size (forwards) and target:
 * wall time and peak RSS of the whole `pfc compile FILE --target T -o OUT` process (median of
 * several runs), and the time of each stage measured in-process (bench/stages.mjs): lex+parse,
 * resolve+check, lower+render. Prints a table, the issue's goals with pass/fail, and writes JSON.
 *
 *   node bench/run.mjs [--sizes 1000,10000,100000] [--targets nftables,iptables] [--runs N]
 *                      [--peers] [--kernel] [--json FILE] [--no-stages] [--timeout SECONDS]
 *
 * --peers   also times Shorewall and ferm (if installed) on the issue's 10k forwards (bench/peers.mjs)
 * --kernel  root only: nft load times and new-connection rates in network namespaces (bench/kernel.mjs)
 * PFC_ROOT=DIR measures another pfc tree (a built snapshot of a commit) instead of this one.
 * docs/performance.md explains what is measured and holds the numbers.
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeInputs } from './generate.mjs';
import { benchDir, fmtMb, fmtMs, load1, median, min, pfcRoot, repoRoot, round, run, stageCells, table, timeProcess } from './lib.mjs';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    targets: { type: 'string' },
    runs: { type: 'string', default: '5' },
    peers: { type: 'boolean', default: false },
    kernel: { type: 'boolean', default: false },
    json: { type: 'string', default: join(repoRoot, 'bench-results', 'bench.json') },
    'no-stages': { type: 'boolean', default: false },
    'no-compile': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log('usage: node bench/run.mjs [--sizes 1000,10000,100000] [--targets a,b] [--runs N] [--peers] [--kernel] [--json FILE] [--no-stages] [--no-compile] [--timeout S]');
  process.exit(0);
}

const root = pfcRoot();
// The shipped bin (the esbuild bundle); older snapshots only have the unbundled entry.
const cli = existsSync(join(root, 'dist', 'cli', 'pfc.js')) ? join(root, 'dist', 'cli', 'pfc.js') : join(root, 'dist', 'cli', 'main.js');
const sizes = opts.sizes.split(',').filter(Boolean).map(Number);
const runs = Math.max(1, Number(opts.runs));
const timeoutMs = Number(opts.timeout) * 1000;

const listed = run([process.execPath, cli, 'targets']);
if (listed.status !== 0) {
  console.error(`pfc targets failed (is ${root}/dist built? run npm run build): ${listed.stderr}`);
  process.exit(2);
}
// `pfc targets` prints one target a line, its id first.
const allTargets = listed.stdout
  .split('\n')
  .map((l) => l.trim().split(/\s+/)[0])
  .filter((id) => id && /^[a-z][a-z0-9-]*$/.test(id));
const targets = opts.targets ? opts.targets.split(',') : allTargets;

// A snapshot tree (PFC_ROOT) is no git repository: it names its commit in a file COMMIT.
const snapshotCommit = existsSync(join(root, 'COMMIT')) ? readFileSync(join(root, 'COMMIT'), 'utf8').trim().slice(0, 12) : null;
const commit = snapshotCommit ?? (run(['git', '-C', root, 'rev-parse', '--short', 'HEAD']).stdout.trim() || null);
const dirty = snapshotCommit ? false : run(['git', '-C', root, 'status', '--porcelain', '--', 'src', 'templates']).stdout.trim() !== '';
const meta = {
  date: new Date().toISOString(),
  root,
  commit,
  dirtySrc: dirty,
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? null,
  memMb: Math.round(totalmem() / 2 ** 20),
  loadAtStart: load1(),
  runs,
  sizes,
  targets,
};
console.log(`pfc benchmark: ${root} (${commit ?? '?'}${dirty ? ', uncommitted src changes' : ''}), node ${process.version}, ${meta.cpus} CPUs, load ${meta.loadAtStart}`);

const work = mkdtempSync(join(tmpdir(), 'pfc-bench-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const inputs = writeInputs(join(work, 'inputs'), sizes, opts.seed === undefined ? undefined : Number(opts.seed));
const byName = new Map(inputs.map((i) => [i.name, i]));

/** One in-process stage measurement in a fresh process (bench/stages.mjs). */
function stageRun(file, target) {
  const r = run([process.execPath, join(benchDir, 'stages.mjs'), file, target], { timeoutMs });
  if (r.status !== 0) return { error: (r.stderr || r.error || `exit ${r.status}`).slice(0, 500) };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** How many runs for a measurement whose first run took `ms`: fewer when slow. */
const runsFor = (ms) => (ms > 60_000 ? 1 : ms > 15_000 ? Math.min(runs, 3) : runs);

/** Measures one input for one target: whole-process runs and stage runs. */
function measure(input, target, probed = []) {
  const out = join(work, `out-${target}`);
  const argv = [cli, 'compile', input.file, '--target', target, '-o', out];
  const loadBefore = load1();
  const first = timeProcess(argv, { timeoutMs });
  const whole = [first];
  const n = runsFor(first.wallMs);
  for (let i = 1; i < n && !first.timedOut; i++) whole.push(timeProcess(argv, { timeoutMs }));
  // Stage runs: up to 3 (1 when a run takes over 15 s), counting the probe of inputFor.
  const stages = opts['no-stages'] ? [] : [...probed];
  const stageRuns = first.wallMs > 15_000 ? 1 : Math.min(n, 3);
  while (!opts['no-stages'] && !first.timedOut && stages.length < stageRuns) stages.push(stageRun(input.file, target));
  const okStages = stages.filter((s) => !s.error);
  const stageMedian = (k) => median(okStages.map((s) => s.ms[k]));
  const keys = ['import', 'lex', 'parse', 'resolve', 'validate', 'lower', 'unsupported', 'toViewModel', 'render', 'lexParse', 'resolveCheck', 'lowerRender', 'pipeline'];
  const statuses = [...new Set(whole.map((w) => (w.timedOut ? 'timeout' : w.status)))];
  return {
    input: input.name,
    profile: input.profile,
    forwards: input.forwards,
    target,
    runs: whole.length,
    status: statuses.length === 1 ? statuses[0] : statuses.join('/'),
    wallMs: { median: round(median(whole.map((w) => w.wallMs))), min: round(min(whole.map((w) => w.wallMs))), all: whole.map((w) => w.wallMs) },
    cpuMs: { median: round(median(whole.map((w) => w.cpuMs))), min: round(min(whole.map((w) => w.cpuMs))) },
    maxRssKb: { median: median(whole.map((w) => w.maxRssKb)), max: Math.max(...whole.map((w) => w.maxRssKb ?? 0)) || null },
    stagesMs: okStages.length ? Object.fromEntries(keys.map((k) => [k, round(stageMedian(k))])) : null,
    stageErrors: stages.filter((s) => s.error).map((s) => s.error),
    capability: okStages[0]?.capability ?? null,
    capabilityCodes: okStages[0]?.capabilityCodes ?? [],
    outputBytes: okStages[0]?.outputBytes ?? null,
    stderrSample: first.status === 0 ? '' : first.stderr.split('\n').slice(0, 3).join('\n').slice(0, 400),
    load: { before: loadBefore, after: load1() },
  };
}

/**
 * The input a target is measured on at size n: the realistic mix, or, when the target rejects
 * parts of it (E1xx), the portable mix without them; when it rejects that too, the portable mix
 * is still timed (to the rejection) and the row says so.
 */
function inputFor(n, target) {
  const full = byName.get(`realistic-${n}`);
  const probe = stageRun(full.file, target);
  if (!probe.error && probe.capability === 0) return { input: full, probed: [probe] };
  const portable = byName.get(`portable-${n}`);
  const again = stageRun(portable.file, target);
  const why = probe.error ? `failed on the full mix: ${probe.error.split('\n')[0].slice(0, 120)}` : `rejects ${(probe.capabilityCodes ?? []).join(',')} of the full mix`;
  if (!again.error && again.capability === 0) return { input: portable, probed: [again], note: `portable mix (${why})` };
  return { input: portable, probed: again.error ? [] : [again], note: `rejected: ${(again.capabilityCodes ?? []).join(',') || again.error} (timed to the diagnostic)` };
}

const results = [];
// The floor: Node's start-up alone, and pfc's start-up with every module loaded (`--version`).
const floor = {};
if (!opts['no-compile']) {
  for (const [name, argv] of [
    ['node -e 0', ['-e', '0']],
    ['pfc --version', [cli, '--version']],
  ]) {
    const samples = Array.from({ length: runs }, () => timeProcess(argv, { timeoutMs: 60_000 }));
    floor[name] = { wallMs: round(median(samples.map((x) => x.wallMs))), cpuMs: round(median(samples.map((x) => x.cpuMs))), maxRssKb: median(samples.map((x) => x.maxRssKb)) };
  }
  console.log(`  start-up: ${Object.entries(floor).map(([k, v]) => `${k} ${fmtMs(v.wallMs)} wall, ${fmtMs(v.cpuMs)} CPU, ${fmtMb(v.maxRssKb)}`).join('; ')}`);
}
if (!opts['no-compile']) {
  const cases = [];
  for (const n of sizes) for (const target of targets) cases.push({ n, target });
  if (sizes.includes(10_000)) for (const target of targets) cases.push({ n: 'issue', target });
  for (const { n, target } of cases) {
    const { input, note, probed } = n === 'issue' ? { input: byName.get('issue-10000') } : inputFor(n, target);
    process.stdout.write(`  ${input.name.padEnd(18)} ${target.padEnd(10)} ...`);
    const r = measure(input, target, probed);
    r.size = n === 'issue' ? 'issue-10k' : n;
    if (note) r.note = note;
    results.push(r);
    process.stdout.write(` ${fmtMs(r.wallMs.median)} (${r.runs} runs), ${fmtMb(r.maxRssKb.max)}, load ${r.load.after}${r.status !== 0 ? `, exit ${r.status}` : ''}\n`);
  }
}

// ---- report ---------------------------------------------------------------------------------------
const pct = (part, whole) => (part === null || part === undefined || !whole ? '' : ` ${Math.round((100 * part) / whole)}%`);
const rows = [['size', 'target', 'input', 'runs', 'wall median', 'wall min', 'CPU median', 'peak RSS', 'lex+parse', 'resolve+check', 'lower+render', 'pipeline', 'import', 'output', 'note']];
for (const r of results) {
  const s = r.stagesMs;
  const w = r.wallMs.median;
  rows.push([
    r.size,
    r.target,
    r.input,
    r.runs,
    fmtMs(w),
    fmtMs(r.wallMs.min),
    fmtMs(r.cpuMs.median),
    fmtMb(r.maxRssKb.max),
    ...stageCells(s, pct),
    r.outputBytes ? `${Math.round(r.outputBytes / 1024)} KB` : '-',
    [r.status !== 0 ? `exit ${r.status}` : '', r.note ?? ''].filter(Boolean).join('; '),
  ]);
}
if (results.length) {
  console.log('\nWhole `pfc compile` process (wall, CPU, peak RSS) and in-process stage times (share of the pipeline, lex to render):\n');
  console.log(table(rows, (c) => ![1, 2, 14].includes(c)));
}

// The issue's goals, from the measured medians.
const find = (size, target) => results.find((r) => r.size === size && r.target === target && r.status === 0);
const goals = [];
const nft10 = find(10_000, 'nftables');
const nft100 = find(100_000, 'nftables');
if (nft10) goals.push({ goal: '10k forwards to nftables <= 0.3 s (whole process)', value: fmtMs(nft10.wallMs.median), pass: nft10.wallMs.median <= 300 });
if (nft100) {
  goals.push({ goal: '100k forwards to nftables <= 1.5 s', value: fmtMs(nft100.wallMs.median), pass: nft100.wallMs.median <= 1500 });
  goals.push({ goal: '100k forwards to nftables <= 300 MB peak', value: fmtMb(nft100.maxRssKb.max), pass: nft100.maxRssKb.max <= 300 * 1024 });
}
if (nft10 && nft100) {
  const ratio = nft100.wallMs.median / nft10.wallMs.median;
  goals.push({ goal: 'time(100k) / time(10k) <= 12 (nftables)', value: ratio.toFixed(1), pass: ratio <= 12 });
}
for (const size of [...sizes, 'issue-10k']) {
  const nft = find(size, 'nftables');
  if (!nft) continue;
  for (const r of results.filter((x) => x.size === size && x.target !== 'nftables')) {
    const ratio = r.status === 0 ? r.wallMs.median / nft.wallMs.median : null;
    goals.push({
      goal: `${r.target} at ${size} within 2x of nftables`,
      value: ratio === null ? `not compiled (${r.note ?? `exit ${r.status}`})` : `${ratio.toFixed(2)}x`,
      pass: ratio !== null && ratio <= 2,
    });
  }
}
if (goals.length) {
  console.log('\nGoals of the issue (compile):\n');
  console.log(table([['goal', 'measured', 'result'], ...goals.map((g) => [g.goal, g.value, g.pass ? 'pass' : 'FAIL'])], () => false));
}

const report = { meta, floor, results, goals };
if (opts.peers) {
  const { runPeers, printPeers } = await import('./peers.mjs');
  report.peers = await runPeers({ runs: Math.min(runs, 3), cli, work: join(work, 'peers'), timeoutMs });
  printPeers(report.peers);
}
if (opts.kernel) {
  const { runKernel, printKernel } = await import('./kernel.mjs');
  // An even number of rounds, so that the reversed order of every other round balances out.
  report.kernel = await runKernel({ cli, work: join(work, 'kernel'), runs, rounds: 6 });
  printKernel(report.kernel);
}
meta.loadAtEnd = load1();
mkdirSync(dirname(opts.json), { recursive: true });
writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nload average at start ${meta.loadAtStart}, at end ${meta.loadAtEnd}; JSON: ${opts.json}`);

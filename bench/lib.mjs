/**
 * Shared helpers of the benchmark scripts: the pfc tree to measure, whole-process timing with
 * peak RSS (through the maxrss.mjs preload), medians, and table formatting.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('.', import.meta.url));
export const repoRoot = join(benchDir, '..');

/** The pfc tree whose dist/ is measured: PFC_ROOT (a snapshot of a commit) or this repository. */
export function pfcRoot() {
  return process.env.PFC_ROOT ? process.env.PFC_ROOT : repoRoot;
}

export const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const min = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return s.length ? Math.min(...s) : null;
};
export const round = (x, digits = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
export const load1 = () => round(loadavg()[0], 2);

/**
 * Runs argv once and measures its wall time (ms, from spawn to exit, so it includes the process
 * start) and, for node, the peak RSS (KiB) through the maxrss.mjs preload. Never throws: a
 * timeout or a failure is in the result.
 */
export function timeProcess(argv, { timeoutMs = 900_000, env = {}, node = true, stdout = 'ignore' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pfc-bench-rss-'));
  const rssFile = join(dir, 'rss');
  // Node processes report through the preload; other tools through GNU time when it is there.
  const gnuTime = !node && existsSync('/usr/bin/time');
  const [cmd, ...args] = node
    ? [process.execPath, '--import', join(benchDir, 'maxrss.mjs'), ...argv]
    : gnuTime
      ? ['/usr/bin/time', '-q', '-f', '%M %U %S', '-o', rssFile, ...argv]
      : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, ...env, PFC_BENCH_RSS_FILE: rssFile },
    timeout: timeoutMs,
    maxBuffer: 1 << 28,
    killSignal: 'SIGKILL',
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let maxRssKb = null;
  let cpuMs = null;
  if (existsSync(rssFile)) {
    // maxrss.mjs: `KiB µs µs`; GNU time: `KiB s s` (its last line; earlier ones are messages).
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
    const [rss, user, system] = last.split(' ').map(Number);
    maxRssKb = rss || null;
    const scale = node ? 1 / 1000 : 1000;
    if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = round((user + system) * scale);
  }
  rmSync(dir, { recursive: true, force: true });
  const stderr = r.stderr ? r.stderr.toString('utf8', 0, Math.min(r.stderr.length, 4000)) : '';
  return {
    wallMs: round(wallMs),
    cpuMs,
    maxRssKb,
    status: r.status,
    signal: r.signal ?? null,
    timedOut: r.error?.code === 'ETIMEDOUT',
    error: r.error ? String(r.error.message) : null,
    stderr,
    stdout: stdout === 'pipe' && r.stdout ? r.stdout.toString() : undefined,
  };
}

/** Runs a command and returns { status, stdout, stderr } (never throws). */
export function run(argv, { timeoutMs = 60_000, input } = {}) {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, input, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error ? String(r.error.message) : null };
}

/** Whether an executable is on PATH (or at an absolute path). */
export function have(cmd) {
  if (cmd.startsWith('/')) return existsSync(cmd);
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .concat(['/usr/sbin', '/sbin'])
    .some((d) => d && existsSync(join(d, cmd)));
}

/** Left-aligned text table (the first row is the header). */
export function table(rows, rightAlign = () => true) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) =>
    r
      .map((cell, c) => {
        const s = String(cell ?? '');
        return c > 0 && rightAlign(c) ? s.padStart(widths[c]) : s.padEnd(widths[c]);
      })
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export const fmtMs = (ms) => (ms === null || ms === undefined ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
export const fmtMb = (kb) => (kb === null || kb === undefined ? '-' : `${Math.round(kb / 1024)} MB`);

/**
 * The stage columns of a compile row: lex+parse, resolve+check, lower+render (each with its share
 * of the pipeline, written by `share`), pipeline and import; '-' where no stage times were taken.
 */
export function stageCells(s, share) {
  if (!s) return ['-', '-', '-', '-', '-'];
  const withShare = (ms) => `${fmtMs(ms)}${share(ms, s.pipeline)}`;
  return [withShare(s.lexParse), withShare(s.resolveCheck), withShare(s.lowerRender), fmtMs(s.pipeline), fmtMs(s.import)];
}

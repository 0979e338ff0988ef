/**
 * Peers: Shorewall and ferm compiling the issue's 10,000 forwards (tcp port 10000+i on eth0 to
 * 10.77.x.y:80), timed side by side with pfc on the same forwards. Installs nothing: a tool that
 * is missing is reported as skipped (`apt-get install shorewall ferm` on Debian).
 *
 * - ferm: `ferm --remote FILE` ("generate rules for a remote machine", implies --noexec and
 *   --lines): compiles to iptables-save text without touching the local system.
 * - Shorewall: `shorewall compile -e DIR OUT` with OPTIMIZE=0 (the shipped OPTIMIZE=All is
 *   reported once when PFC_BENCH_SHOREWALL_OPTIMIZE=1, it takes minutes). -e compiles for
 *   another system and needs a `capabilities` file: it is made once with `shorewall show -f
 *   capabilities` inside a throwaway network namespace (root only), with a private
 *   shorewall.conf bind-mounted in a private mount namespace, so the host's firewall and /etc
 *   stay untouched. Without root, PFC_BENCH_SHOREWALL_CAPS=FILE names a capabilities file.
 */

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue, issueTarget } from './generate.mjs';
import { fmtMb, fmtMs, have, load1, median, min, round, run, table, timeProcess } from './lib.mjs';

const N = 10_000;

/** ferm's equivalent of the issue's forwards, with the FORWARD accept that goes with them. */
export function fermConfig(n = N) {
  const lines = ['# The issue\'s forwards for ferm (bench/peers.mjs).', 'domain ip table nat chain PREROUTING interface eth0 proto tcp {'];
  for (let i = 0; i < n; i++) lines.push(`    dport ${10_000 + i} DNAT to ${issueTarget(i)}:80;`);
  lines.push('}', 'domain ip table filter chain FORWARD {', '    policy DROP;', '    mod conntrack ctstate (ESTABLISHED RELATED) ACCEPT;', '    interface eth0 outerface eth1 mod conntrack ctstate DNAT ACCEPT;', '}');
  return `${lines.join('\n')}\n`;
}

/** Shorewall's equivalent: a two-interface configuration (net = eth0, loc = eth1) and n DNAT rules. */
export function shorewallConfig(dir, { n = N, optimize = '0' } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'zones'), 'fw\tfirewall\nnet\tipv4\nloc\tipv4\n');
  writeFileSync(join(dir, 'interfaces'), '?FORMAT 2\nnet\teth0\ttcpflags,nosmurfs\nloc\teth1\ttcpflags,nosmurfs\n');
  writeFileSync(join(dir, 'policy'), 'loc\tnet\tACCEPT\nnet\tall\tDROP\nall\tall\tREJECT\n');
  const rules = ['?SECTION NEW'];
  for (let i = 0; i < n; i++) rules.push(`DNAT\tnet\tloc:${issueTarget(i)}:80\ttcp\t${10_000 + i}`);
  writeFileSync(join(dir, 'rules'), `${rules.join('\n')}\n`);
  // The packaged default configuration, with logs that exist everywhere and the chosen OPTIMIZE.
  const base = ['/usr/share/doc/shorewall/examples/two-interfaces/shorewall.conf', '/etc/shorewall/shorewall.conf'].find((f) => existsSync(f));
  let conf = base ? readFileSync(base, 'utf8') : 'STARTUP_ENABLED=No\n';
  conf = conf.replace(/^LOGFILE=.*$/m, 'LOGFILE=/dev/null').replace(/^STARTUP_LOG=.*$/m, 'STARTUP_LOG=/dev/null');
  conf = /^OPTIMIZE=/m.test(conf) ? conf.replace(/^OPTIMIZE=.*$/m, `OPTIMIZE=${optimize}`) : `${conf}\nOPTIMIZE=${optimize}\n`;
  writeFileSync(join(dir, 'shorewall.conf'), conf);
  return dir;
}

/** A Shorewall capabilities file for `compile -e`, made in a throwaway namespace; or a reason. */
function shorewallCapabilities(dir) {
  const given = process.env.PFC_BENCH_SHOREWALL_CAPS;
  if (given) {
    copyFileSync(given, join(dir, 'capabilities'));
    return null;
  }
  if (process.getuid?.() !== 0) return 'needs root to detect capabilities in a namespace (or PFC_BENCH_SHOREWALL_CAPS=FILE)';
  if (!have('ip') || !have('unshare')) return 'needs ip and unshare';
  const ns = `pfcbench-sw-${process.pid}`;
  const add = run(['ip', 'netns', 'add', ns]);
  if (add.status !== 0) return `ip netns add failed: ${add.stderr.trim()}`;
  try {
    // A private mount namespace: the benchmark's shorewall.conf hides /etc/shorewall's for this
    // command only (its LOGFILE must exist); the capability probes run in the empty namespace.
    const script = `mount --bind "$1" /etc/shorewall/shorewall.conf && exec shorewall show -f capabilities`;
    const r = run(['ip', 'netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', script, 'sh', join(dir, 'shorewall.conf')], { timeoutMs: 120_000 });
    if (r.status !== 0 || !r.stdout.includes('CAPVERSION')) return `shorewall show -f capabilities failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`;
    writeFileSync(join(dir, 'capabilities'), r.stdout);
    return null;
  } finally {
    run(['ip', 'netns', 'del', ns]);
  }
}

const summary = (samples) => ({
  runs: samples.length,
  status: [...new Set(samples.map((s) => (s.timedOut ? 'timeout' : s.status)))].join('/'),
  wallMs: { median: round(median(samples.map((s) => s.wallMs))), min: round(min(samples.map((s) => s.wallMs))), all: samples.map((s) => s.wallMs) },
  cpuMs: { median: round(median(samples.map((s) => s.cpuMs))) },
  maxRssKb: Math.max(...samples.map((s) => s.maxRssKb ?? 0)) || null,
  stderr: samples[0]?.status === 0 ? '' : (samples[0]?.stderr ?? '').slice(0, 400),
});

const times = (argv, runs, o) => {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = timeProcess(argv, o);
    samples.push(s);
    if (s.timedOut || s.status !== 0) break;
  }
  return summary(samples);
};

/** Times pfc (nftables, iptables), ferm and Shorewall on the issue's forwards. */
export async function runPeers({ runs = 3, cli, work, timeoutMs = 900_000 }) {
  mkdirSync(work, { recursive: true });
  const out = { forwards: N, load: { before: load1() }, tools: [] };
  const pf = join(work, 'issue-10000.pf');
  writeFileSync(pf, issue(N));
  for (const target of ['nftables', 'iptables']) {
    out.tools.push({ tool: `pfc --target ${target}`, command: `pfc compile issue-10000.pf --target ${target} -o OUT`, ...times([cli, 'compile', pf, '--target', target, '-o', join(work, `pfc.${target}`)], runs, { timeoutMs }) });
  }

  if (have('ferm')) {
    const file = join(work, 'ferm.conf');
    writeFileSync(file, fermConfig());
    const version = run(['ferm', '--version']).stdout.split('\n')[0].trim();
    out.tools.push({ tool: version, command: 'ferm --remote ferm.conf', ...times(['ferm', '--remote', file], runs, { node: false, timeoutMs }) });
  } else out.tools.push({ tool: 'ferm', skipped: 'not installed (apt-get install ferm)' });

  if (have('shorewall')) {
    const version = `Shorewall ${run(['shorewall', 'version']).stdout.trim()}`;
    const dir = shorewallConfig(join(work, 'shorewall'));
    const why = shorewallCapabilities(dir);
    if (why) out.tools.push({ tool: version, skipped: why });
    else {
      out.tools.push({ tool: `${version} (OPTIMIZE=0)`, command: 'shorewall compile -e DIR OUT', ...times(['shorewall', 'compile', '-e', dir, join(work, 'shorewall.out')], runs, { node: false, timeoutMs }) });
      if (process.env.PFC_BENCH_SHOREWALL_OPTIMIZE === '1') {
        const all = shorewallConfig(join(work, 'shorewall-all'), { optimize: 'All' });
        copyFileSync(join(dir, 'capabilities'), join(all, 'capabilities'));
        out.tools.push({ tool: `${version} (OPTIMIZE=All, as shipped)`, command: 'shorewall compile -e DIR OUT', ...times(['shorewall', 'compile', '-e', all, join(work, 'shorewall-all.out')], 1, { node: false, timeoutMs }) });
      }
    }
  } else out.tools.push({ tool: 'shorewall', skipped: 'not installed (apt-get install shorewall)' });
  out.load.after = load1();
  return out;
}

export function printPeers(p) {
  console.log(`\nPeers: the issue's ${p.forwards} forwards, whole process (load ${p.load.before} -> ${p.load.after}):\n`);
  const rows = [['tool', 'command', 'runs', 'wall median', 'wall min', 'CPU median', 'peak RSS', 'status']];
  for (const t of p.tools) {
    if (t.skipped) rows.push([t.tool, '-', '-', '-', '-', '-', '-', `skipped: ${t.skipped}`]);
    else rows.push([t.tool, t.command, t.runs, fmtMs(t.wallMs.median), fmtMs(t.wallMs.min), fmtMs(t.cpuMs.median), fmtMb(t.maxRssKb), t.status === 0 || t.status === '0' ? 'ok' : `exit ${t.status} ${t.stderr.split('\n')[0]}`]);
  }
  console.log(table(rows, (c) => c >= 2 && c <= 6));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { pfcRoot } = await import('./lib.mjs');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const work = mkdtempSync(join(tmpdir(), 'pfc-peers-'));
  try {
    printPeers(await runPeers({ runs: Number(process.argv[2] ?? 3), cli: join(pfcRoot(), 'dist', 'cli', 'pfc.js'), work }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Kernel benchmark (Linux, root): the issue's 10,000 forwards in real nftables, in network
 * namespaces of its own (the e2e harness of test/e2e/ is TypeScript under test/; the few parts
 * needed are written here in plain Node).
 *
 *   client 203.0.113.10 ─eth0── eth0 203.0.113.1  router  eth1 10.76.0.1 ──eth0 10.76.0.2 server
 *                                                     10.77.0.0/16 via 10.76.0.2   (local route: it
 *                                                                                  accepts them all)
 *
 * (a) `nft -f` load time (whole `nft` process, median) into an empty router, of pfc's output for
 *     the issue's file, of the hand-written single-map form of the same forwards, and of 10,000
 *     linear rules; plus pfc's reload over its own table (what a re-apply does).
 * (b) New TCP connections per second from the client to the router's address, DNATed to the
 *     server: a Node client keeps `concurrency` connection attempts open for `seconds` seconds,
 *     each to the next forwarded port (spread over all forwards), and resets each connection as
 *     soon as it is established (no TIME_WAIT on the client); the server accepts and closes.
 *     Forms: pfc's 10k output, pfc's output for a single forward (port 10000 only), and the
 *     linear and single-map forms as controls. Rounds alternate the forms (in reverse order every
 *     other round); medians are reported, and the median of each round's pfc 10k / pfc 1 ratio.
 *
 * Everything is bounded (timeouts on every command, fixed durations) and the namespaces are
 * removed in all cases; traffic stays inside them (203.0.113.0/24 is a documentation range).
 */

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue, issueTarget } from './generate.mjs';
import { fmtMs, have, load1, median, round, run, table, timeProcess } from './lib.mjs';

const N = 10_000;
const PREFIX = 'pfcbench-';

/** The hand-written single-map form of the issue's forwards. */
export function handMap(n = N) {
  const elements = Array.from({ length: n }, (_, i) => `\t\t\t${10_000 + i} : ${issueTarget(i)} . 80,`);
  return [
    'table inet hand {',
    '\tmap ports {',
    '\t\ttype inet_service : ipv4_addr . inet_service',
    '\t\telements = {',
    ...elements,
    '\t\t}',
    '\t}',
    '\tchain prerouting {',
    '\t\ttype nat hook prerouting priority dstnat; policy accept;',
    '\t\tiifname "eth0" meta nfproto ipv4 dnat ip to tcp dport map @ports',
    '\t}',
    '}',
    '',
  ].join('\n');
}

/** The same forwards as n linear rules, one per forward. */
export function linear(n = N) {
  const rules = Array.from({ length: n }, (_, i) => `\t\tiifname "eth0" tcp dport ${10_000 + i} dnat ip to ${issueTarget(i)}:80`);
  return ['table inet linear {', '\tchain prerouting {', '\t\ttype nat hook prerouting priority dstnat; policy accept;', ...rules, '\t}', '}', ''].join('\n');
}

const SERVER = String.raw`
const net = require('net');
const srv = net.createServer((s) => { s.on('error', () => {}); s.destroy(); });
srv.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
srv.listen({ host: '0.0.0.0', port: 80, backlog: 4096 }, () => console.log('ready'));
setTimeout(() => process.exit(0), Number(process.argv[1]) * 1000).unref();
`;

// Opens connections to host:base..base+count-1 (round robin) with bounded concurrency for a
// fixed time; prints { ok, errors, seconds, rate, codes }.
const CLIENT = String.raw`
const net = require('net');
const [host, base, count, seconds, concurrency] = process.argv.slice(1).map((x, i) => (i ? Number(x) : x));
let ok = 0, errors = 0, next = 0, live = 0;
const codes = {};
const t0 = Date.now(), end = t0 + seconds * 1000;
let finished = false;
const finish = () => {
  if (finished) return;
  finished = true;
  const secs = (Date.now() - t0) / 1000;
  console.log(JSON.stringify({ ok, errors, seconds: secs, rate: ok / secs, codes }));
  process.exit(0);
};
const one = () => {
  if (Date.now() >= end) { if (--live === 0) finish(); return; }
  const s = net.connect({ host, port: base + (next++ % count) });
  let done = false;
  const settle = (good, code) => {
    if (done) return;
    done = true;
    if (good) ok++; else { errors++; codes[code] = (codes[code] || 0) + 1; }
    if (s.resetAndDestroy) s.resetAndDestroy(); else s.destroy();
    setImmediate(one);
  };
  s.setTimeout(2000, () => settle(false, 'timeout'));
  s.on('connect', () => settle(true));
  s.on('error', (e) => settle(false, e.code || e.message));
};
for (let i = 0; i < concurrency; i++) { live++; one(); }
setTimeout(finish, (seconds + 5) * 1000).unref();
`;

const sh = (argv, o) => run(argv, { timeoutMs: 30_000, ...o });
const must = (argv, o) => {
  const r = sh(argv, o);
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${(r.stderr || r.error || '').trim()}`);
  return r;
};
const inNs = (ns, argv) => ['ip', 'netns', 'exec', ns, ...argv];

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function deleteNs(ns) {
  for (const pid of sh(['ip', 'netns', 'pids', ns]).stdout.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  sh(['ip', 'netns', 'del', ns]);
}

/** Removes namespaces of earlier benchmark runs whose process is gone. */
function removeLeftovers() {
  for (const line of sh(['ip', 'netns', 'list']).stdout.split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (!ns.startsWith(PREFIX)) continue;
    const pid = Number(ns.slice(PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) continue;
    deleteNs(ns);
  }
}

function build(t) {
  for (const ns of [t.client, t.router, t.server]) {
    must(['ip', 'netns', 'add', ns]);
    must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }
  must(['ip', '-n', t.router, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', t.client]);
  must(['ip', '-n', t.router, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', t.server]);
  const addr = (ns, dev, cidr) => must(['ip', '-n', ns, 'addr', 'add', cidr, 'dev', dev]);
  addr(t.client, 'eth0', '203.0.113.10/24');
  addr(t.router, 'eth0', '203.0.113.1/24');
  addr(t.router, 'eth1', '10.76.0.1/24');
  addr(t.server, 'eth0', '10.76.0.2/24');
  for (const [ns, dev] of [
    [t.client, 'eth0'],
    [t.router, 'eth0'],
    [t.router, 'eth1'],
    [t.server, 'eth0'],
  ])
    must(['ip', '-n', ns, 'link', 'set', dev, 'up']);
  must(['ip', '-n', t.router, 'route', 'add', '10.77.0.0/16', 'via', '10.76.0.2']);
  must(['ip', '-n', t.server, 'route', 'add', 'default', 'via', '10.76.0.1']);
  // The server owns all of 10.77.0.0/16 (a local route), so every forward's target answers.
  must(['ip', '-n', t.server, 'route', 'add', 'local', '10.77.0.0/16', 'dev', 'lo']);
  must(inNs(t.router, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']));
  must(inNs(t.server, ['sysctl', '-q', '-w', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']));
  must(inNs(t.client, ['sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=1024 65535']));
}

/** Starts the server in its namespace; resolves with a stop function once it listens. */
function startServer(ns, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER, String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server did not start in 10 s'));
    }, 10_000);
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) {
        clearTimeout(timer);
        if (buf.startsWith('ready')) resolve(() => child.kill('SIGKILL'));
        else reject(new Error(`server: ${buf.trim()}`));
      }
    });
    child.on('exit', () => clearTimeout(timer));
  });
}

/** Runs nft, loads, and measures; returns the kernel report (or { skipped }). */
export async function runKernel({ cli, work, runs = 5, seconds = 5, concurrency = 64, rounds = 3, extra = [] }) {
  if (process.platform !== 'linux') return { skipped: 'not Linux' };
  if (process.getuid?.() !== 0) return { skipped: 'not root' };
  for (const tool of ['ip', 'nft']) if (!have(tool)) return { skipped: `${tool} not installed` };
  mkdirSync(work, { recursive: true });

  // The rule sets.
  const files = {};
  const write = (name, text) => {
    files[name] = join(work, name);
    writeFileSync(files[name], text);
  };
  write('issue-10000.pf', issue(N));
  write('single.pf', 'interface wan = eth0\ninterface lan = eth1 subnet 10.77.0.0/16\nforward tcp wan:10000 -> 10.77.0.1:80\n');
  for (const [pf, out] of [
    ['issue-10000.pf', 'pfc-10k.nft'],
    ['single.pf', 'pfc-single.nft'],
  ]) {
    const r = sh([process.execPath, cli, 'compile', files[pf], '--target', 'nftables', '-o', join(work, out)], { timeoutMs: 600_000 });
    if (r.status !== 0) return { skipped: `pfc compile ${pf} failed: ${r.stderr.slice(0, 300)}` };
    files[out] = join(work, out);
  }
  write('hand-map.nft', handMap());
  write('linear.nft', linear());
  write('empty.nft', 'table inet empty {\n}\n');
  // Experiments: extra rule sets { name, text, ports } measured like the others (ports: how many
  // of 10000.. the client spreads over).
  for (const [i, x] of extra.entries()) write(`extra-${i}.nft`, x.text);

  const t = { client: `${PREFIX}${process.pid}-client`, router: `${PREFIX}${process.pid}-router`, server: `${PREFIX}${process.pid}-server` };
  const destroy = () => {
    for (const ns of Object.values(t)) deleteNs(ns);
  };
  process.once('exit', destroy);
  const report = { forwards: N, nftVersion: sh(['nft', '--version']).stdout.trim(), load: { before: load1() }, nftLoad: [], rates: [], concurrency, seconds };
  removeLeftovers();
  let stopServer = null;
  try {
    build(t);
    const flush = () => must(inNs(t.router, ['nft', 'flush', 'ruleset']));

    // (a) nft -f load times, forms interleaved round by round.
    const forms = [
      ['empty table (process overhead)', 'empty.nft'],
      ['pfc output (maps)', 'pfc-10k.nft'],
      ['hand-written single map', 'hand-map.nft'],
      ['10,000 linear rules', 'linear.nft'],
      ...extra.map((x, i) => [x.name, `extra-${i}.nft`]),
    ];
    const loads = Object.fromEntries(forms.map(([name]) => [name, []]));
    loads['pfc output, reload over its table'] = [];
    for (let i = 0; i < runs; i++) {
      for (const [name, file] of forms) {
        flush();
        const r = timeProcess(inNs(t.router, ['nft', '-f', files[file]]), { node: false, timeoutMs: 120_000 });
        if (r.status !== 0) throw new Error(`nft -f ${file}: ${r.stderr.slice(0, 300)}`);
        loads[name].push(r);
        if (file === 'pfc-10k.nft') {
          const again = timeProcess(inNs(t.router, ['nft', '-f', files[file]]), { node: false, timeoutMs: 120_000 });
          if (again.status !== 0) throw new Error(`nft -f ${file} (reload): ${again.stderr.slice(0, 300)}`);
          loads['pfc output, reload over its table'].push(again);
        }
      }
    }
    for (const [name, samples] of Object.entries(loads)) {
      report.nftLoad.push({ form: name, runs: samples.length, wallMs: round(median(samples.map((s) => s.wallMs))), cpuMs: round(median(samples.map((s) => s.cpuMs))), all: samples.map((s) => s.wallMs) });
    }
    const hand = report.nftLoad.find((l) => l.form === 'hand-written single map');
    const pfc = report.nftLoad.find((l) => l.form === 'pfc output (maps)');
    report.nftLoadRatio = round(pfc.wallMs / hand.wallMs, 2);
    report.nftLoadCpuRatio = pfc.cpuMs && hand.cpuMs ? round(pfc.cpuMs / hand.cpuMs, 2) : null;

    // (b) connection rates.
    stopServer = await startServer(t.server, rounds * (4 + extra.length) * (seconds + 8) + 60);
    const rateForms = [
      ['pfc, 1 forward', 'pfc-single.nft', 1],
      ['pfc, 10,000 forwards', 'pfc-10k.nft', N],
      ['hand-written single map, 10,000', 'hand-map.nft', N],
      ['10,000 linear rules', 'linear.nft', N],
      ...extra.map((x, i) => [x.name, `extra-${i}.nft`, x.ports]),
    ];
    const samples = Object.fromEntries(rateForms.map(([name]) => [name, []]));
    const haveConntrack = have('conntrack');
    for (let round_ = 0; round_ < rounds; round_++) {
      // Every other round runs the forms in reverse order (ABBA): the machine's speed drifts over
      // a run, and a fixed order would hand the same share of that drift to each form every round.
      const order = round_ % 2 === 0 ? rateForms : [...rateForms].reverse();
      for (const [name, file, count] of order) {
        flush();
        must(inNs(t.router, ['nft', '-f', files[file]]));
        if (haveConntrack) sh(inNs(t.router, ['conntrack', '-F']));
        const r = sh(inNs(t.client, [process.execPath, '-e', CLIENT, '203.0.113.1', '10000', String(count), String(seconds), String(concurrency)]), { timeoutMs: (seconds + 20) * 1000 });
        let res;
        try {
          res = JSON.parse(r.stdout.trim().split('\n').pop());
        } catch {
          res = { ok: 0, errors: -1, rate: null, codes: { client: (r.stderr || r.error || '').slice(0, 200) } };
        }
        samples[name].push({ ...res, load: load1() });
      }
    }
    for (const [name, s] of Object.entries(samples)) {
      report.rates.push({
        form: name,
        rounds: s.length,
        perSecond: round(median(s.map((x) => x.rate)), 0),
        all: s.map((x) => round(x.rate, 0)),
        errors: s.reduce((a, x) => a + (x.errors > 0 ? x.errors : 0), 0),
        codes: Object.assign({}, ...s.map((x) => x.codes ?? {})),
      });
    }
    const single = report.rates.find((r) => r.form === 'pfc, 1 forward');
    const many = report.rates.find((r) => r.form === 'pfc, 10,000 forwards');
    report.rateRatio = single?.perSecond ? round(many.perSecond / single.perSecond, 2) : null;
    // The same ratio round by round (the two forms ran seconds apart, under the same load), whose
    // median is less sensitive to a machine shared with other work.
    const paired = single ? single.all.map((x, i) => (x ? many.all[i] / x : null)) : [];
    report.pairedRatio = round(median(paired), 2);
    report.pairedRatios = paired.map((x) => round(x, 2));
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  } finally {
    stopServer?.();
    destroy();
    process.removeListener('exit', destroy);
  }
  report.load.after = load1();
  return report;
}

export function printKernel(k) {
  if (k.skipped) {
    console.log(`\nKernel benchmark skipped: ${k.skipped}`);
    return;
  }
  console.log(`\nKernel (${k.nftVersion}), the issue's ${k.forwards} forwards, load ${k.load.before} -> ${k.load.after}${k.error ? `; ERROR: ${k.error}` : ''}\n`);
  if (k.nftLoad.length) {
    console.log(table([['nft -f (whole process)', 'runs', 'wall median', 'CPU median'], ...k.nftLoad.map((l) => [l.form, l.runs, fmtMs(l.wallMs), fmtMs(l.cpuMs)])], (c) => c > 0));
    console.log(`pfc / hand-written single map: ${k.nftLoadRatio}x wall, ${k.nftLoadCpuRatio ?? '-'}x CPU (goal <= 1.5x: ${k.nftLoadRatio <= 1.5 ? 'pass' : 'FAIL'})\n`);
  }
  if (k.rates.length) {
    console.log(table([[`new TCP connections/s (${k.seconds} s, ${k.concurrency} in flight)`, 'rounds', 'median', 'all', 'errors'], ...k.rates.map((r) => [r.form, r.rounds, r.perSecond, r.all.join(' '), r.errors])], (c) => c > 0 && c !== 3));
    if (k.rateRatio !== null) {
      console.log(`pfc 10,000 / pfc 1 forward: ${k.rateRatio}x of the medians, ${k.pairedRatio}x median of the rounds' ratios (${k.pairedRatios.join(' ')})`);
      console.log(`goal >= 0.9x: ${Math.min(k.rateRatio, k.pairedRatio) >= 0.9 ? 'pass' : 'FAIL'}`);
    }
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { pfcRoot } = await import('./lib.mjs');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const work = mkdtempSync(join(tmpdir(), 'pfc-kernel-'));
  try {
    const args = process.argv.slice(2).map(Number);
    printKernel(await runKernel({ cli: join(pfcRoot(), 'dist', 'cli', 'pfc.js'), work, runs: args[0] || 5, seconds: args[1] || 5, rounds: args[2] || 3 }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

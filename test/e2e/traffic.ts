/**
 * Real TCP and UDP traffic for the e2e harness: listeners that answer with their name, the port
 * they received on and the client address they saw, and one-shot probes from a client namespace.
 * Both are small Node programs (constants below) run with `ip netns exec NS node -e`.
 */

import { execa, type ResultPromise } from 'execa';

/** Transport protocol of a listener or probe. */
export type Proto = 'tcp' | 'udp';

/** What a listener answered: its name, the port it received on, the client address it saw. */
export interface ProbeOk {
  readonly ok: true;
  readonly server: string;
  readonly port: number;
  readonly peer: string;
}

/** A probe that got no answer: `refused`, `timeout`, `reset`, `unreachable` or an errno code. */
export interface ProbeFailed {
  readonly ok: false;
  readonly reason: string;
}

/** The outcome of {@link probe}. */
export type ProbeResult = ProbeOk | ProbeFailed;

/** Arguments of {@link probe}. */
export interface ProbeOptions {
  /** Namespace to send from. */
  readonly from: string;
  readonly proto: Proto;
  /** Destination address, IPv4 or IPv6 (no brackets). */
  readonly to: string;
  readonly port: number;
  /** Local address to send from (one of the namespace's addresses); default: kernel's choice. */
  readonly sourceAddress?: string;
  /** Give up after this long; default 1500 ms for TCP, 1000 ms for UDP. */
  readonly timeoutMs?: number;
}

/** Arguments of {@link listen}. */
export interface ListenOptions {
  /** Namespace to listen in. */
  readonly ns: string;
  /** Name put into every answer, so a probe knows which listener answered. */
  readonly name: string;
  readonly tcp?: readonly number[];
  readonly udp?: readonly number[];
  /** Bound for starting up; default 5000 ms. */
  readonly timeoutMs?: number;
}

/** A running listener. */
export interface Listener {
  readonly name: string;
  /** Stops the listener and waits for it to exit. */
  close(): Promise<void>;
}

// Listens on every given port on 0.0.0.0 and [::] (IPv6 only), TCP and UDP, and answers each
// connection or datagram with "NAME PORT PEER\n". Prints "ready" once every socket is bound.
const LISTENER = String.raw`
const net = require('net'), dgram = require('dgram');
const [name, tcpList, udpList] = process.argv.slice(1);
const ports = (s) => (s ? s.split(',').map(Number) : []);
const peerOf = (a) => a.replace(/^::ffff:/, '');
const fail = (e) => { process.stdout.write('error ' + e.message + '\n'); process.exit(1); };
const waits = [];
for (const port of ports(tcpList)) for (const [host, v6] of [['0.0.0.0', false], ['::', true]]) {
  const srv = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.end(name + ' ' + port + ' ' + peerOf(sock.remoteAddress) + '\n');
  });
  srv.on('error', fail);
  waits.push(new Promise((ok) => srv.listen({ host, port, ipv6Only: v6 }, ok)));
}
for (const port of ports(udpList)) for (const type of ['udp4', 'udp6']) {
  const sock = dgram.createSocket({ type, ipv6Only: type === 'udp6' });
  sock.on('error', fail);
  sock.on('message', (_msg, rinfo) => {
    sock.send(name + ' ' + port + ' ' + peerOf(rinfo.address) + '\n', rinfo.port, rinfo.address);
  });
  waits.push(new Promise((ok) => sock.bind({ port, address: type === 'udp4' ? '0.0.0.0' : '::' }, ok)));
}
Promise.all(waits).then(() => process.stdout.write('ready\n'));
`;

// Sends one TCP connection or UDP datagram and prints one JSON line: the answer or why none.
const PROBE = String.raw`
const net = require('net'), dgram = require('dgram');
const [proto, host, portText, src, msText] = process.argv.slice(1);
const port = Number(portText), ms = Number(msText);
let finished = false;
const done = (r) => {
  if (finished) return;
  finished = true;
  process.stdout.write(JSON.stringify(r) + '\n', () => process.exit(0));
};
const parse = (text) => {
  const [server, p, peer] = text.trim().split(' ');
  return server && p && peer ? { ok: true, server, port: Number(p), peer } : { ok: false, reason: 'garbled: ' + text };
};
const reasons = { ECONNREFUSED: 'refused', ECONNRESET: 'reset', EHOSTUNREACH: 'unreachable', ENETUNREACH: 'unreachable' };
const failed = (e) => done({ ok: false, reason: reasons[e.code] || e.code || e.message });
setTimeout(() => done({ ok: false, reason: 'timeout' }), ms);
if (proto === 'tcp') {
  const s = net.connect({ host, port, localAddress: src || undefined });
  let buf = '';
  s.setEncoding('utf8');
  s.on('data', (d) => { buf += d; if (buf.includes('\n')) done(parse(buf)); });
  s.on('end', () => done(buf ? parse(buf) : { ok: false, reason: 'closed' }));
  s.on('error', failed);
} else {
  const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  s.on('error', failed);
  s.on('message', (m) => done(parse(m.toString())));
  s.bind({ port: 0, address: src || undefined }, () => {
    s.connect(port, host, (e) => (e ? failed(e) : s.send('probe\n')));
  });
}
`;

const running = new Set<ResultPromise>();

/**
 * Starts a listener in `opts.ns` and resolves once all its sockets are bound; rejects with the
 * listener's error (EADDRINUSE, a bad port) or after `timeoutMs`.
 */
export async function listen(opts: ListenOptions): Promise<Listener> {
  const argv = [opts.name, (opts.tcp ?? []).join(','), (opts.udp ?? []).join(',')];
  const child = execa('ip', ['netns', 'exec', opts.ns, 'node', '-e', LISTENER, ...argv], {
    reject: false,
    stdin: 'ignore',
    buffer: false,
  });
  running.add(child);
  const close = async () => {
    child.kill('SIGKILL');
    await child;
    running.delete(child);
  };
  const ready = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('timeout starting listener'), opts.timeoutMs ?? 5000);
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        clearTimeout(timer);
        resolve(buf.trim());
      }
    });
    void child.then(() => {
      clearTimeout(timer);
      resolve(buf.trim() || 'listener exited');
    });
  });
  if (ready !== 'ready') {
    await close();
    throw new Error(`listener ${opts.name} in ${opts.ns}: ${ready}`);
  }
  return { name: opts.name, close };
}

/** Stops every listener this process started that is still running. */
export async function closeAllListeners(): Promise<void> {
  const all = [...running];
  for (const child of all) child.kill('SIGKILL');
  await Promise.allSettled(all);
  running.clear();
}

/**
 * Sends one TCP connection or UDP datagram from `opts.from` and reports the listener's answer,
 * or why there was none. Bounded by `timeoutMs` (plus Node's start-up, itself bounded).
 */
export async function probe(opts: ProbeOptions): Promise<ProbeResult> {
  const ms = opts.timeoutMs ?? (opts.proto === 'tcp' ? 1500 : 1000);
  const argv = [opts.proto, opts.to, String(opts.port), opts.sourceAddress ?? '', String(ms)];
  const r = await execa('ip', ['netns', 'exec', opts.from, 'node', '-e', PROBE, ...argv], {
    reject: false,
    timeout: ms + 5000,
    input: '',
  });
  try {
    return JSON.parse(String(r.stdout)) as ProbeResult;
  } catch {
    return { ok: false, reason: `probe failed: ${String(r.stderr || r.message)}` };
  }
}

/**
 * Runs many probes, at most `concurrency` at a time, and returns their results in order.
 * Probes are independent (each uses a fresh source port), so order does not matter.
 */
export async function probeAll(list: readonly ProbeOptions[], concurrency = 8): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < list.length; i = next++) {
      results[i] = await probe(list[i] as ProbeOptions);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  return results;
}

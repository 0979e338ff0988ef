/**
 * Real TCP and UDP traffic for the e2e harness: listeners that answer with their name, the port
 * they received on and the client address they saw, and probes from a client namespace. Both
 * are small Node programs (constants below) run with `ip netns exec NS node -e`.
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

// The probe agent, one per client namespace: reads one JSON request a line on stdin
// ({ id, proto, host, port, src, ms }), sends one TCP connection or UDP datagram for each (all
// at once), and writes one line { id, result } with the answer or why there was none.
const PROBE_AGENT = String.raw`
const net = require('net'), dgram = require('dgram'), readline = require('readline');
const reasons = { ECONNREFUSED: 'refused', ECONNRESET: 'reset', EHOSTUNREACH: 'unreachable', ENETUNREACH: 'unreachable' };
const parse = (text) => {
  const [server, p, peer] = text.trim().split(' ');
  return server && p && peer ? { ok: true, server, port: Number(p), peer } : { ok: false, reason: 'garbled: ' + text };
};
function probe({ id, proto, host, port, src, ms }) {
  let finished = false, sock;
  const done = (result) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    try { proto === 'tcp' ? sock.destroy() : sock.close(); } catch {}
    process.stdout.write(JSON.stringify({ id, result }) + '\n');
  };
  const failed = (e) => done({ ok: false, reason: reasons[e.code] || e.code || e.message });
  const timer = setTimeout(() => done({ ok: false, reason: 'timeout' }), ms);
  if (proto === 'tcp') {
    sock = net.connect({ host, port, localAddress: src || undefined });
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => { buf += d; if (buf.includes('\n')) done(parse(buf)); });
    sock.on('end', () => done(buf ? parse(buf) : { ok: false, reason: 'closed' }));
    sock.on('error', failed);
  } else {
    sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    sock.on('error', failed);
    sock.on('message', (m) => done(parse(m.toString())));
    sock.bind({ port: 0, address: src || undefined }, () => {
      sock.connect(port, host, (e) => (e ? failed(e) : sock.send('probe\n')));
    });
  }
}
readline.createInterface({ input: process.stdin }).on('line', (line) => probe(JSON.parse(line)));
process.stdin.on('end', () => process.exit(0));
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

/** Stops every listener and probe agent this process started that is still running. */
export async function closeAllListeners(): Promise<void> {
  const all = [...running];
  for (const child of all) child.kill('SIGKILL');
  await Promise.allSettled(all);
  running.clear();
}

interface Agent {
  readonly child: ResultPromise;
  readonly pending: Map<number, (r: ProbeResult) => void>;
  nextId: number;
}
const agents = new Map<string, Agent>();

/** The probe agent of namespace `ns`, started on first use; it stops with the namespace. */
function agentFor(ns: string): Agent {
  const known = agents.get(ns);
  if (known) return known;
  const child = execa('ip', ['netns', 'exec', ns, 'node', '-e', PROBE_AGENT], { reject: false, stdin: 'pipe', buffer: false });
  const agent: Agent = { child, pending: new Map(), nextId: 1 };
  agents.set(ns, agent);
  running.add(child);
  child.stdin?.on('error', () => {}); // the agent died: its exit handler answers what is pending
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        const { id, result } = JSON.parse(line) as { id: number; result: ProbeResult };
        agent.pending.get(id)?.(result);
      } catch {
        // not one of the agent's answers: ignore it
      }
    }
  });
  void child.then((r) => {
    agents.delete(ns);
    running.delete(child);
    const reason = `probe agent in ${ns} exited (${r.signal ?? `exit code ${r.exitCode}`})`;
    for (const answer of [...agent.pending.values()]) answer({ ok: false, reason });
  });
  return agent;
}

/**
 * Sends one TCP connection or UDP datagram from `opts.from` and reports the listener's answer,
 * or why there was none. Runs in a probe agent (one Node process per namespace, started on first
 * use). Bounded by `timeoutMs`, plus 10 s for the agent to start.
 */
export function probe(opts: ProbeOptions): Promise<ProbeResult> {
  const ms = opts.timeoutMs ?? (opts.proto === 'tcp' ? 1500 : 1000);
  const agent = agentFor(opts.from);
  const id = agent.nextId++;
  const request = { id, proto: opts.proto, host: opts.to, port: opts.port, src: opts.sourceAddress ?? '', ms };
  return new Promise((resolve) => {
    const finish = (r: ProbeResult) => {
      clearTimeout(timer);
      agent.pending.delete(id);
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'probe agent did not answer' }), ms + 10_000);
    agent.pending.set(id, finish);
    agent.child.stdin?.write(`${JSON.stringify(request)}\n`);
  });
}

/**
 * Runs many probes, at most `concurrency` at a time, and returns their results in order.
 * Probes are independent (each uses a fresh source port), so order does not matter.
 */
export async function probeAll(list: readonly ProbeOptions[], concurrency = 16): Promise<ProbeResult[]> {
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

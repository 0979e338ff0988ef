/**
 * The e2e network-namespace harness: builds a router with a WAN client and a bridged LAN in
 * namespaces of their own, loads a base firewall (firewall.ts) and rule sets into the router,
 * and tears it all down. Addresses are in test/e2e/README.md; traffic helpers in traffic.ts.
 */

import { execa, type Result } from 'execa';
import { type BaseNftOptions, baseFirewallIptables, baseFirewallNft } from './firewall.js';

export * from './firewall.js';

/** Addresses of the topology. The same in every run: each run has namespaces of its own. */
export const ADDR = {
  router: {
    wan4: '203.0.113.1',
    wanAlt4: '198.51.100.1',
    /** A third WAN address: two address-ingress forwards on two addresses share one map. */
    wanAlt4b: '198.51.100.2',
    wan6: '2001:db8:1::1',
    lan4: '10.0.1.1',
    lan6: '2001:db8:2::1',
  },
  wanClient: { v4: '203.0.113.10', alt4: '198.51.100.7', v6: '2001:db8:1::10' },
  lanServer: { v4: '10.0.1.20', v6: '2001:db8:2::20' },
  lanClient: { v4: '10.0.1.30', v6: '2001:db8:2::30' },
  lanSubnet4: '10.0.1.0/24',
  lanSubnet6: '2001:db8:2::/64',
} as const;

/** Device names inside the router namespace (fixed: names are per namespace). */
export const ROUTER_DEV = { wan: 'wan0', lan: 'lan0' } as const;

/** The namespaces of one topology. */
export interface Topology {
  /** Prefix shared by every namespace of this topology: `pfce2e-<label>-<pid>-`. */
  readonly prefix: string;
  readonly router: string;
  readonly wanClient: string;
  readonly lanSwitch: string;
  readonly lanServer: string;
  readonly lanClient: string;
}

/** Which tool loads a rule set into the router. */
export type LoadTool = 'nft' | 'iptables-nft' | 'iptables-legacy' | 'ip6tables-nft' | 'ip6tables-legacy';

/** The result of {@link load}: `stderr` carries the tool's complaint when `ok` is false. */
export interface LoadResult {
  readonly ok: boolean;
  readonly stderr: string;
}

/** Options of {@link createTopology}. */
export interface TopologyOptions {
  /** Short tag naming the test file, so parallel files never share namespaces: `nft`. */
  readonly label: string;
  /** Bound for each command run while building; default 10 s. */
  readonly timeoutMs?: number;
}

const NS_ROOT = 'pfce2e-';
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs argv inside namespace `ns` (never through a shell) and returns execa's result without
 * throwing on a non-zero exit. `input` is fed on stdin.
 */
export async function nsExec(ns: string, argv: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Result> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('nsExec: empty argv');
  return execa('ip', ['netns', 'exec', ns, cmd, ...args], {
    input: opts.input ?? '',
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    reject: false,
    stripFinalNewline: true,
  });
}

/** Runs a command on the host and throws with its stderr when it fails. */
async function must(argv: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('must: empty argv');
  const r = await execa(cmd, args, { timeout: timeoutMs, reject: false, input: '' });
  if (r.failed) {
    throw new Error(`${argv.join(' ')} failed: ${String(r.stderr || r.message)}`);
  }
}

/** Runs `ip -n ns ...args` and throws on failure. */
function ipIn(ns: string, args: readonly string[], timeoutMs?: number): Promise<void> {
  return must(['ip', '-n', ns, ...args], timeoutMs);
}

/** Sets sysctls inside a namespace; throws on failure. */
async function sysctl(ns: string, settings: Record<string, string>, timeoutMs?: number) {
  const assignments = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  const r = await nsExec(ns, ['sysctl', '-q', '-w', ...assignments], { timeoutMs });
  if (r.failed) throw new Error(`sysctl in ${ns} failed: ${String(r.stderr)}`);
}

/**
 * Why e2e tests cannot run here (not root, no `ip netns`), or null when they can. Tries to add
 * and delete one namespace, so a container without CAP_SYS_ADMIN is detected too.
 */
export async function unavailableReason(): Promise<string | null> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `${NS_ROOT}probe-${process.pid}`;
  const add = await execa('ip', ['netns', 'add', probe], { reject: false, timeout: 5000 });
  if (add.failed) return `ip netns unavailable: ${String(add.stderr || add.message)}`;
  await execa('ip', ['netns', 'del', probe], { reject: false, timeout: 5000 });
  return null;
}

/** Names of existing namespaces starting with `prefix`. */
async function namespacesWithPrefix(prefix: string): Promise<string[]> {
  const r = await execa('ip', ['netns', 'list'], { reject: false, timeout: 5000 });
  if (r.failed) return [];
  return String(r.stdout)
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

/** Kills every process inside `ns` (all of them started by the harness), then deletes it. */
async function deleteNamespace(ns: string): Promise<void> {
  const pids = await execa('ip', ['netns', 'pids', ns], { reject: false, timeout: 5000 });
  for (const pid of String(pids.stdout).split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await execa('ip', ['netns', 'del', ns], { reject: false, timeout: 5000 });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes namespaces left behind by earlier runs of the file with this `label` whose process
 * is gone (a crash, a killed run). Namespaces of a run still alive are left alone.
 */
export async function removeLeftovers(label: string): Promise<void> {
  const prefix = `${NS_ROOT}${label}-`;
  for (const ns of await namespacesWithPrefix(prefix)) {
    const pid = Number(ns.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) continue;
    await deleteNamespace(ns);
  }
}

/**
 * The namespace names of this process's topology for `label` (`pfce2e-<label>-<pid>-router`,
 * ...), known before it is built so tests can name namespaces at collection time.
 */
export function topologyNames(label: string): Topology {
  if (!/^[a-z0-9]{1,12}$/.test(label)) throw new Error(`bad label '${label}'`);
  const prefix = `${NS_ROOT}${label}-${process.pid}-`;
  return {
    prefix,
    router: `${prefix}router`,
    wanClient: `${prefix}wan-client`,
    lanSwitch: `${prefix}lan-switch`,
    lanServer: `${prefix}lan-server`,
    lanClient: `${prefix}lan-client`,
  };
}

/**
 * Builds the topology named by {@link topologyNames}: router (wan0, lan0), wan-client on wan0,
 * and lan-server and lan-client behind a bridge in the lan-switch namespace. Forwarding is on in
 * the router, rp_filter and ICMP redirects off, IPv6 DAD off. No firewall is loaded (see
 * {@link loadBaseFirewall}). On failure everything built so far is removed, then it throws.
 */
export async function createTopology(opts: TopologyOptions): Promise<Topology> {
  const topo = topologyNames(opts.label);
  await removeLeftovers(opts.label);
  try {
    await build(topo, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (err) {
    await destroyTopology(topo);
    throw err;
  }
  return topo;
}

async function build(t: Topology, ms: number): Promise<void> {
  const all = [t.router, t.wanClient, t.lanSwitch, t.lanServer, t.lanClient];
  for (const ns of all) {
    await must(['ip', 'netns', 'add', ns], ms);
    await ipIn(ns, ['link', 'set', 'lo', 'up'], ms);
    await sysctl(
      ns,
      {
        'net.ipv6.conf.all.accept_dad': '0',
        'net.ipv6.conf.default.accept_dad': '0',
      },
      ms,
    );
  }
  const { wan, lan } = ROUTER_DEV;
  await ipIn(t.router, ['link', 'add', wan, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', t.wanClient], ms);
  await ipIn(t.router, ['link', 'add', lan, 'type', 'veth', 'peer', 'name', 'uplink', 'netns', t.lanSwitch], ms);
  await ipIn(t.lanSwitch, ['link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0'], ms);
  await ipIn(t.lanSwitch, ['link', 'add', 'p-server', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', t.lanServer], ms);
  await ipIn(t.lanSwitch, ['link', 'add', 'p-client', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', t.lanClient], ms);
  for (const port of ['uplink', 'p-server', 'p-client']) {
    await ipIn(t.lanSwitch, ['link', 'set', port, 'master', 'br0', 'up'], ms);
  }
  await ipIn(t.lanSwitch, ['link', 'set', 'br0', 'up'], ms);

  const addr = async (ns: string, dev: string, cidr: string) => ipIn(ns, ['addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : [])], ms);
  const { router: r, wanClient: w, lanServer: s, lanClient: c } = ADDR;
  await addr(t.router, wan, `${r.wan4}/24`);
  await addr(t.router, wan, `${r.wanAlt4}/24`);
  await addr(t.router, wan, `${r.wanAlt4b}/24`);
  await addr(t.router, wan, `${r.wan6}/64`);
  await addr(t.router, lan, `${r.lan4}/24`);
  await addr(t.router, lan, `${r.lan6}/64`);
  await addr(t.wanClient, 'eth0', `${w.v4}/24`);
  await addr(t.wanClient, 'eth0', `${w.alt4}/24`);
  await addr(t.wanClient, 'eth0', `${w.v6}/64`);
  await addr(t.lanServer, 'eth0', `${s.v4}/24`);
  await addr(t.lanServer, 'eth0', `${s.v6}/64`);
  await addr(t.lanClient, 'eth0', `${c.v4}/24`);
  await addr(t.lanClient, 'eth0', `${c.v6}/64`);
  for (const [ns, dev] of [
    [t.router, wan],
    [t.router, lan],
    [t.wanClient, 'eth0'],
    [t.lanServer, 'eth0'],
    [t.lanClient, 'eth0'],
  ] as const) {
    await ipIn(ns, ['link', 'set', dev, 'up'], ms);
  }
  // The WAN client is a neighbour on the router's uplink: it can route to the LAN (so that
  // "straight to the internal address" reaches the router and meets its firewall).
  await ipIn(t.wanClient, ['route', 'add', ADDR.lanSubnet4, 'via', r.wan4], ms);
  await ipIn(t.wanClient, ['-6', 'route', 'add', ADDR.lanSubnet6, 'via', r.wan6], ms);
  for (const ns of [t.lanServer, t.lanClient]) {
    await ipIn(ns, ['route', 'add', 'default', 'via', r.lan4], ms);
    await ipIn(ns, ['-6', 'route', 'add', 'default', 'via', r.lan6], ms);
  }
  const off: Record<string, string> = {};
  for (const dev of ['all', 'default', wan, lan]) {
    off[`net.ipv4.conf.${dev}.rp_filter`] = '0';
    off[`net.ipv4.conf.${dev}.send_redirects`] = '0';
  }
  await sysctl(t.router, { ...off, 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.forwarding': '1' }, ms);
}

/** Kills the processes in the topology's namespaces and deletes them. Never throws. */
export async function destroyTopology(t: Topology): Promise<void> {
  for (const ns of await namespacesWithPrefix(t.prefix)) await deleteNamespace(ns);
}

const LOADERS: Record<LoadTool, readonly string[]> = {
  nft: ['nft', '-f', '-'],
  'iptables-nft': ['/usr/sbin/iptables-nft-restore', '--noflush'],
  'iptables-legacy': ['/usr/sbin/iptables-legacy-restore', '--noflush'],
  'ip6tables-nft': ['/usr/sbin/ip6tables-nft-restore', '--noflush'],
  'ip6tables-legacy': ['/usr/sbin/ip6tables-legacy-restore', '--noflush'],
};

/**
 * Loads a rule set into namespace `router` on stdin: `nft -f -`, or
 * `(ip6)iptables-(nft|legacy)-restore --noflush` (called by full name, never through
 * update-alternatives, so nft and legacy tests can run side by side).
 */
export async function load(router: string, text: string, tool: LoadTool): Promise<LoadResult> {
  const r = await nsExec(router, LOADERS[tool], { input: text });
  return { ok: !r.failed, stderr: String(r.stderr || (r.failed ? r.message : '')) };
}

/**
 * Loads the base firewall into the router: `nft` (needs `nft` options: the allow mark), or the
 * IPv4 and IPv6 variants of the given iptables flavour. Throws with the tool's stderr on failure.
 */
export async function loadBaseFirewall(t: Topology, tool: 'nft' | 'iptables-nft' | 'iptables-legacy', nft?: BaseNftOptions): Promise<void> {
  let loads: [string, LoadTool][];
  if (tool === 'nft') {
    if (nft === undefined) throw new Error('loadBaseFirewall: nft needs the allow mark');
    loads = [[baseFirewallNft(nft, ROUTER_DEV), 'nft']];
  } else {
    const v6: LoadTool = tool === 'iptables-nft' ? 'ip6tables-nft' : 'ip6tables-legacy';
    loads = [
      [baseFirewallIptables(ROUTER_DEV), tool],
      [baseFirewallIptables(ROUTER_DEV), v6],
    ];
  }
  for (const [text, loader] of loads) {
    const r = await load(t.router, text, loader);
    if (!r.ok) throw new Error(`base firewall (${loader}) did not load: ${r.stderr}`);
  }
}

/**
 * Deletes every conntrack entry in the router, so an earlier probe cannot help a later one.
 * Throws with conntrack's stderr when it fails (the tool is missing, for example).
 */
export async function flushConntrack(router: string): Promise<void> {
  const r = await nsExec(router, ['conntrack', '-F']);
  if (r.failed) throw new Error(`conntrack -F in ${router} failed: ${String(r.stderr || r.message)}`);
}

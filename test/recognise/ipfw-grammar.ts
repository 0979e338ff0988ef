/**
 * A recogniser for the ipfw scripts pfc emits, written from the ipfw(8) synopsis (rule format,
 * addresses, ports, options, sets, `nat N config`) and natd's redirect_port syntax with the
 * checks of nat.c setup_redir_port(). Takes the script text, returns the problems found.
 */

import type { Problem } from './pf-grammar.js';

/** `staged`: every `add` goes to a disabled set that a later `set swap` makes live. */
export interface IpfwOptions {
  readonly staged?: boolean;
}

class Fail extends Error {}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*(?:\/(\d{1,3}))?$/;
const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const ACTIONS_SIMPLE = new Set(['allow', 'accept', 'pass', 'permit', 'deny', 'drop', 'reject', 'count', 'check-state']);
const PROTOS = new Set(['tcp', 'udp', 'sctp', 'icmp', 'ip', 'ip4', 'ipv4', 'ip6', 'ipv6', 'all']);
const OPTIONS0 = new Set(['in', 'out', 'keep-state', 'established', 'setup', 'frag']);
const OPTIONS1 = new Set(['recv', 'xmit', 'via']);
const NAT_FLAGS = new Set(['same_ports', 'reset', 'log', 'deny_in', 'unreg_only', 'unreg_cgn', 'reverse', 'proxy_only', 'skip_global']);

const isIp = (t: string) => {
  const v4 = IPV4.exec(t);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && (v4[5] === undefined || Number(v4[5]) <= 32);
  const v6 = IPV6.exec(t);
  return v6 !== null && t.split('::').length <= 2 && (v6[1] === undefined || Number(v6[1]) <= 128);
};
const isNum = (t: string | undefined, lo: number, hi: number) => t !== undefined && /^\d+$/.test(t) && Number(t) >= lo && Number(t) <= hi;

/** `N` or `N-M` (N <= M); returns the size, or throws. */
function portRange(t: string): number {
  const m = /^(\d+)(?:-(\d+))?$/.exec(t);
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (!m || a < 1 || b > 65535 || a > b) throw new Fail(`'${t}' is not a port or port range`);
  return b - a + 1;
}

/** Splits a shell command into words: single quotes, double quotes without `$`, plain words. */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /\s*((?:'[^']*'|"[^"$`\\]*"|[^\s'"]+)+)/y;
  let end = 0;
  for (let m = re.exec(text); m?.[1]; m = re.exec(text)) {
    out.push(m[1].replace(/'([^']*)'|"([^"]*)"/g, '$1$2'));
    end = re.lastIndex;
  }
  if (text.slice(end).trim() !== '') throw new Fail('unbalanced quotes');
  return out;
}

/** State of one script: configured NAT instances, disabled sets, staged sets. */
interface State {
  nats: Set<number>;
  disabled: Set<number>;
  staged: Set<number>;
}

/** ipfw(8) addr: [not] any | me | me6 | table(name) | addr-list (commas, no spaces). */
function address(av: string[]): void {
  if (av[0] === 'not') av.shift();
  const t = av.shift();
  if (t === undefined) throw new Fail('expected an address');
  if (t === 'any' || t === 'me' || t === 'me6' || /^table\(\w+\)$/.test(t)) return;
  if (!t.split(',').every(isIp)) throw new Fail(`'${t}' is not an address or address list`);
}

/** [rule] [set N] action [log] body [// comment] */
function add(av: string[], st: State, opts: IpfwOptions): void {
  let number = 0;
  if (/^\d+$/.test(av[0] ?? '')) {
    const t = av.shift() as string;
    if (!isNum(t, 1, 65534)) throw new Fail(`rule number '${t}' is out of range (1..65534)`);
    number = Number(t);
  }
  let set: number | null = null;
  if (av[0] === 'set') {
    av.shift();
    const t = av.shift();
    if (!isNum(t, 0, 31)) throw new Fail(`set '${t}' is out of range (0..31)`);
    set = Number(t);
  }
  if (opts.staged && (set === null || !st.disabled.has(set))) throw new Fail('rule not added to a disabled staging set');
  if (set !== null) st.staged.add(set);
  const action = av.shift() ?? '';
  if (action === 'nat') {
    const n = Number(av.shift());
    if (!st.nats.has(n)) throw new Fail(`nat instance ${n} is used before 'nat ${n} config'`);
  } else if (action === 'skipto') {
    const t = av.shift();
    if (!isNum(t, 1, 65535) || Number(t) <= number) throw new Fail(`skipto '${t}' must jump forward from rule ${number}`);
  } else if (action === 'fwd' || action === 'forward') {
    const t = av.shift() ?? '';
    const m = /^(.+?)(?:,(\d+))?$/.exec(t);
    if (!m || !isIp(m[1] as string) || (m[2] !== undefined && !isNum(m[2], 1, 65535))) throw new Fail(`'${t}' is not ipaddr[,port]`);
  } else if (!ACTIONS_SIMPLE.has(action)) throw new Fail(`unknown action '${action}'`);
  if (av[0] === 'log') av.shift();
  const comment = av.indexOf('//');
  if (comment >= 0) {
    const text = av.splice(comment).slice(1).join(' ');
    if (text.length > 80) throw new Fail('comment longer than 80 characters');
  }
  if (action === 'check-state' && av.length === 0) return;
  const proto = av.shift() ?? '';
  if (!PROTOS.has(proto)) throw new Fail(`'${proto}' is not a protocol`);
  const ports = (side: string) => {
    if (av[0] === undefined || !/^\d/.test(av[0])) return;
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new Fail(`ports on ${side} need tcp, udp or sctp`);
    (av.shift() as string).split(',').forEach(portRange);
  };
  if (av.shift() !== 'from') throw new Fail("expected 'from'");
  address(av);
  ports('from');
  if (av.shift() !== 'to') throw new Fail("expected 'to'");
  address(av);
  ports('to');
  while (av.length > 0) {
    if (av[0] === 'not') av.shift();
    const o = av.shift() as string;
    if (OPTIONS1.has(o)) {
      if (!IFNAME.test(av.shift() ?? '')) throw new Fail(`'${o}' needs an interface name`);
    } else if (!OPTIONS0.has(o)) throw new Fail(`unknown option '${o}'`);
  }
}

/** nat N config [ip A | if IF] flags... redirect_port proto ip:port[-port] port[-port] [remote] */
function natConfig(av: string[], st: State): void {
  const n = av.shift();
  if (!isNum(n, 1, 65535)) throw new Fail(`'${n}' is not a nat instance number`);
  if (av.shift() !== 'config') throw new Fail("expected 'config'");
  while (av.length > 0) {
    const t = av.shift() as string;
    if (t === 'ip') {
      if (!isIp(av.shift() ?? '')) throw new Fail("'ip' needs an address");
    } else if (t === 'if') {
      if (!IFNAME.test(av.shift() ?? '')) throw new Fail("'if' needs an interface name");
    } else if (t === 'redirect_port') {
      if (!['tcp', 'udp', 'sctp'].includes(av.shift() ?? '')) throw new Fail('redirect_port needs one protocol: tcp, udp or sctp');
      const target = /^([^:]+):(.+)$/.exec(av.shift() ?? '');
      if (!target || !isIp(target[1] as string)) throw new Fail('redirect_port needs targetIP:targetPORT');
      const local = portRange(target[2] as string);
      const alias = av.shift() ?? '';
      const aliasPorts = alias.includes(':') ? alias.slice(alias.lastIndexOf(':') + 1) : alias;
      if (portRange(aliasPorts) !== local) throw new Fail('redirect_port: port ranges must be equal in size');
      if (av[0] !== undefined && isIp(av[0].split(':')[0] as string)) av.shift();
    } else if (t === 'port_range') portRange(av.shift() ?? '');
    else if (!NAT_FLAGS.has(t)) throw new Fail(`unknown nat configuration '${t}'`);
  }
  st.nats.add(Number(n));
}

/** Lines pfc's script uses besides ipfw commands. */
const SHELL = [/^#!\/bin\/sh$/, /^set -e$/, /^if \[ "\$\(sysctl -n [\w.]+\)" != \d+ \]; then$/, /^echo '[^']*' >&2$/, /^exit 1$/, /^fi$/];

/** Recognises a whole script; returns every problem (empty when the text is in the subset). */
export function recogniseIpfw(text: string, opts: IpfwOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const st: State = { nats: new Set(), disabled: new Set(), staged: new Set() };
  let swapped = false;
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    if (pending === '') start = i + 1;
    if (raw.endsWith('\\')) {
      pending += `${raw.slice(0, -1)} `;
      return;
    }
    // sh(1): `#` at the start of a word, outside quotes, starts a comment.
    const line = (pending + raw).replace(/^((?:[^'\s]|\s(?!#)|'[^']*')*)\s#.*$/, '$1').trim();
    pending = '';
    if (line === '' || (line.startsWith('#') && !line.startsWith('#!'))) return;
    try {
      if (SHELL.some((re) => re.test(line))) return;
      const av = words(line.replace(/ 2>\/dev\/null \|\| true$/, ''));
      if (av.shift() !== 'ipfw') throw new Fail(`not an ipfw command: '${line}'`);
      if (av[0] === '-q') av.shift();
      const cmd = av.shift();
      if (cmd === 'add') add(av, st, opts);
      else if (cmd === 'nat') natConfig(av, st);
      else if (cmd === 'set' && (av[0] === 'disable' || av[0] === 'enable') && isNum(av[1], 0, 30) && av.length === 2) {
        if (av[0] === 'disable') st.disabled.add(Number(av[1]));
        else st.disabled.delete(Number(av[1]));
      } else if (cmd === 'set' && av[0] === 'swap' && isNum(av[1], 0, 30) && isNum(av[2], 0, 30) && av.length === 3) {
        swapped = true;
      } else if (cmd === 'delete' && av[0] === 'set' && isNum(av[1], 0, 31) && av.length === 2) {
        // ipfw(8): "To delete a set of rules atomically the command is simply: ipfw delete set 18"
      } else throw new Fail(`unknown ipfw command '${[cmd, ...av].join(' ')}'`);
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      problems.push({ line: start, message: e.message });
    }
  });
  if (opts.staged && st.staged.size > 0 && !swapped) problems.push({ line: 0, message: 'staged rules are never swapped in' });
  return problems;
}

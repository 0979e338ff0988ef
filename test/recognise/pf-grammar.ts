/**
 * A recogniser for the subset of pf.conf that pfc emits, written from the published grammars:
 * OpenBSD pf.conf(5) GRAMMAR (dialect `pf`) and FreeBSD pf.conf(5) nat-rule / rdr-rule (dialect
 * `pf-legacy`, FreeBSD <= 14 and macOS). Takes the text, returns the problems found (none = valid).
 */

/** pf (OpenBSD 4.7+) or the old FreeBSD/macOS syntax with a separate translation section. */
export type PfDialect = 'pf' | 'pf-legacy';

/** One problem: 1-based line of the statement and what is wrong. */
export interface Problem {
  readonly line: number;
  readonly message: string;
}

class Fail extends Error {}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const KEYWORDS = new Set(['all', 'any', 'from', 'to', 'port', 'proto', 'on', 'label', 'quick', 'log', 'self']);

function isAddress(text: string): boolean {
  const [addr = '', len, extra] = text.split('/');
  if (extra !== undefined) return false;
  const v4 = IPV4.exec(addr);
  const max = v4 ? 32 : 128;
  if (v4 ? v4.slice(1).some((o) => Number(o) > 255) : !(IPV6.test(addr) && addr.split('::').length <= 2)) return false;
  return len === undefined || (/^\d+$/.test(len) && Number(len) <= max);
}

const isPort = (t: string) => (/^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 65535) || (NAME.test(t) && !KEYWORDS.has(t));

/** Splits one statement into tokens: strings, `->`, `{ } ( ) , !`, and words. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /\s*("[^"]*"|->|[{}(),!]|[^\s{}(),!"]+)/y;
  let end = 0;
  for (let m = re.exec(text); m?.[1]; m = re.exec(text)) {
    out.push(m[1]);
    end = re.lastIndex;
  }
  if (text.slice(end).trim() !== '') throw new Fail(`cannot read '${text.slice(end).trim()}'`);
  return out;
}

/** A cursor over one statement's tokens. */
class Cursor {
  i = 0;
  constructor(readonly t: string[]) {}
  peek(): string | undefined {
    return this.t[this.i];
  }
  take(expected?: string): string {
    const tok = this.t[this.i];
    if (tok === undefined || (expected !== undefined && tok !== expected)) {
      throw new Fail(`expected ${expected ? `'${expected}'` : 'more'} but found ${tok === undefined ? 'the end' : `'${tok}'`}`);
    }
    this.i++;
    return tok;
  }
  accept(word: string): boolean {
    if (this.t[this.i] !== word) return false;
    this.i++;
    return true;
  }
  /** `item` or `{ item [,] item ... }`. */
  list(item: (tok: string) => boolean, what: string): void {
    const one = () => {
      const tok = this.take();
      if (!item(tok)) throw new Fail(`'${tok}' is not ${what}`);
    };
    if (!this.accept('{')) {
      one();
      return;
    }
    do one();
    while (this.accept(',') || this.peek() !== '}');
    this.take('}');
  }
}

/** ifspec: an interface name (after macro expansion). */
const ifname = (c: Cursor) => {
  const tok = c.take();
  if (!NAME.test(tok) || KEYWORDS.has(tok)) throw new Fail(`'${tok}' is not an interface name`);
};

/** address: ip[/len], `IF:network`, `(IF)`, `self`, `any`, or a list of those. */
function host(c: Cursor): void {
  if (c.accept('(')) {
    ifname(c);
    c.take(')');
    return;
  }
  c.accept('!');
  c.list(
    (t) => t === 'any' || t === 'self' || isAddress(t) || (NAME.test(t) && !KEYWORDS.has(t)) || /^[A-Za-z_][\w.-]*:(network|broadcast|peer|0)$/.test(t),
    'a host',
  );
}

/** port: unary-op or binary-op `N:M` (never `N:*`, never `N*`), or a list. */
function port(c: Cursor): void {
  c.take('port');
  c.list((t) => {
    const range = /^(\d+):(\d+)$/.exec(t);
    return range ? isPort(range[1] as string) && isPort(range[2] as string) && Number(range[1]) <= Number(range[2]) : isPort(t);
  }, 'a port or range');
}

/** portspec after rdr-to / `->`: `port N`, `port N:M`, `port N:*`. */
function portspec(c: Cursor): void {
  if (!c.accept('port')) return;
  const tok = c.take();
  const m = /^([^:]+)(?::(\*|[^:]+))?$/.exec(tok);
  if (!m || !isPort(m[1] as string) || (m[2] !== undefined && m[2] !== '*' && !isPort(m[2]))) {
    throw new Fail(`'${tok}' is not a portspec (number, number:number or number:*)`);
  }
}

/** redirhost: an address or `(IF)`. */
function redirhost(c: Cursor): void {
  if (c.accept('(')) {
    ifname(c);
    c.take(')');
  } else if (!isAddress(c.take())) throw new Fail('expected a redirection address');
}

/** [af] [protospec] hosts */
function body(c: Cursor): void {
  if (c.peek() === 'inet' || c.peek() === 'inet6') c.take();
  if (c.accept('proto')) c.list((t) => t === 'tcp' || t === 'udp' || t === 'icmp', 'a protocol');
  if (c.accept('all')) return;
  if (c.accept('from')) {
    host(c);
    if (c.peek() === 'port') port(c);
  }
  if (c.accept('to')) {
    host(c);
    if (c.peek() === 'port') port(c);
  }
}

/** pf-rule = action [in|out] [log] [quick] [on ifspec] [af] [protospec] hosts [filteropt-list] */
function filterRule(c: Cursor, dialect: PfDialect): void {
  const action = c.take();
  if (dialect === 'pf-legacy' && action === 'match') throw new Fail("'match' rules are not in the FreeBSD <= 14 / macOS grammar");
  if (c.peek() === 'in' || c.peek() === 'out') c.take();
  c.accept('log');
  c.accept('quick');
  if (c.accept('on')) ifname(c);
  body(c);
  while (c.peek() !== undefined) {
    const opt = c.take();
    if (opt === 'label') {
      const s = c.take();
      if (!/^"[^"]*"$/.test(s)) throw new Fail('label needs a quoted string');
      if (s.length - 2 > 63) throw new Fail('label longer than 63 characters (PF_RULE_LABEL_SIZE)');
    } else if (dialect === 'pf' && (opt === 'rdr-to' || opt === 'nat-to')) {
      redirhost(c);
      portspec(c);
      if (opt === 'nat-to') c.accept('static-port');
    } else if (dialect === 'pf' && opt === 'received-on') ifname(c);
    else if (opt === '->') throw new Fail("'->' belongs to nat/rdr rules, not filter rules");
    else throw new Fail(`unknown or misplaced filter option '${opt}'`);
  }
}

/** nat-rule / rdr-rule = [no] nat|rdr [pass [log]] [on ifspec] [af] [protospec] hosts [-> redirhost [portspec]] */
function translationRule(c: Cursor): void {
  const no = c.accept('no');
  const kind = c.take();
  if (c.accept('pass')) c.accept('log');
  if (c.accept('on')) ifname(c);
  body(c);
  if (no) return;
  c.take('->');
  redirhost(c);
  portspec(c);
  if (kind === 'nat') c.accept('static-port');
  if (c.peek() !== undefined) throw new Fail(`unexpected '${c.peek()}' after the translation (no label on ${kind} rules)`);
}

/** Joins `\` continuations, strips comments, expands `name = "value"` macros. */
function statements(text: string): { line: number; text: string }[] {
  const macros = new Map<string, string>();
  const out: { line: number; text: string }[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    if (pending === '') start = i + 1;
    // A `#` outside a quoted string starts a comment (pfctl lexer); labels may contain `#`.
    const line = raw.replace(/^((?:[^"#]|"[^"]*")*)#.*$/, '$1');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const stmt = (pending + line).trim();
    pending = '';
    if (stmt === '') return;
    const def = /^([A-Za-z_]\w*)\s*=\s*"([^"]*)"$/.exec(stmt);
    if (def) macros.set(def[1] as string, def[2] as string);
    else out.push({ line: start, text: stmt.replace(/\$([A-Za-z_]\w*)/g, (w, n: string) => macros.get(n) ?? w) });
  });
  return out;
}

/** Recognises a whole file; returns every problem (empty when the text is in the subset). */
export function recognisePf(text: string, dialect: PfDialect): Problem[] {
  const problems: Problem[] = [];
  let filterSeen = false;
  for (const s of statements(text)) {
    try {
      const c = new Cursor(tokens(s.text));
      const first = c.peek() === 'no' ? c.t[1] : c.peek();
      if (first === 'anchor') {
        c.take();
        if (!/^"[\w./*-]+"$/.test(c.take())) throw new Fail('anchor needs a quoted name');
        filterSeen = true;
      } else if (first === 'nat-anchor' || first === 'rdr-anchor') {
        if (dialect === 'pf') throw new Fail(`'${first}' is not in the OpenBSD 4.7+ grammar`);
        if (filterSeen) throw new Fail('translation anchor after filter rules');
        c.take();
        if (!/^"[\w./*-]+"$/.test(c.take())) throw new Fail(`${first} needs a quoted name`);
      } else if (first === 'nat' || first === 'rdr') {
        if (dialect === 'pf') throw new Fail(`'${first}' rules were removed in OpenBSD 4.7: use ${first}-to`);
        if (filterSeen) throw new Fail('translation rule after filter rules (pfctl require-order)');
        translationRule(c);
      } else if (first === 'pass' || first === 'block' || first === 'match') {
        filterSeen = true;
        filterRule(c, dialect);
      } else throw new Fail(`unknown statement '${first}'`);
      if (c.peek() !== undefined) throw new Fail(`unexpected '${c.peek()}'`);
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      problems.push({ line: s.line, message: e.message });
    }
  }
  return problems;
}

/**
 * Name resolution: binds every name to its declaration (E002-E005), turns address literals
 * (E020) and service names (E013) into values, and returns the resolved model. Names live in one
 * namespace and must be declared before use; reporting continues past every error.
 */

import type * as A from '../ast.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { Messages } from '../diagnostics/messages.js';
import { Reporter } from '../diagnostics/report.js';
import type { Protocol } from '../ir/model.js';
import { limits } from '../limits.js';
import { parseAddress } from '../net/address.js';
import type * as R from './model.js';
import { services } from './services.js';

type Symbol =
  | { kind: 'interface'; iface: R.RInterface; ingress: R.RIngress; decl: R.RDeclaration & { used: boolean } }
  | { kind: 'address'; set: R.RAddressSet | undefined; decl: R.RDeclaration & { used: boolean } };

/** What the parser learnt from statements with syntax errors, so they cause no false reports. */
export interface Recovered {
  /** Names that broken declarations meant to declare: their uses are not reported. */
  readonly broken: ReadonlySet<string>;
  /** Names written in broken statements: their declarations count as used. */
  readonly usedInBroken: ReadonlySet<string>;
}

const kindWords = { interface: 'an interface', address: 'an address' } as const;

// A rule's protocols are one of four lists, shared by every rule (the model is read-only).
const noProtocol: readonly Protocol[] = [];
const tcpOnly: readonly Protocol[] = ['tcp'];
const udpOnly: readonly Protocol[] = ['udp'];
const tcpAndUdp: readonly Protocol[] = ['tcp', 'udp'];

/** The protocols of a rule, without repeats, sorted. */
function protocolList(p: A.Protocols): readonly Protocol[] {
  let tcp = false;
  let udp = false;
  for (let i = 0; i < p.list.length; i++) {
    if (p.list[i]!.name === 'tcp') tcp = true;
    else udp = true;
  }
  return tcp ? (udp ? tcpAndUdp : tcpOnly) : udp ? udpOnly : noProtocol;
}

/** The entries of a declared address set as brought in by one use of its name, at that use. */
function atUse(entries: readonly R.RAddress[], span: Span): R.RAddress[] {
  // Filled by index: a map callback would be a new closure for every use.
  const out = new Array<R.RAddress>(entries.length);
  for (let i = 0; i < entries.length; i++) out[i] = { net: entries[i]!.net, span };
  return out;
}

/** A use of a name not declared yet: E005 or E002 once every statement is in (see finish). */
interface UndeclaredUse {
  readonly name: string;
  readonly span: Span;
}

/**
 * Resolves statements one at a time, in reading order (add), so a caller can hand them over as
 * they are parsed and the AST of a chunk is garbage before the next chunk is read; finish reports
 * what needs the whole file (a use before a later declaration, names of broken statements).
 */
export class Resolver {
  private readonly symbols = new Map<string, Symbol>();
  /** Where each name is first declared, anywhere in the file: E005 points there. */
  private readonly declaredAt = new Map<string, Span>();
  private readonly undeclaredUses: UndeclaredUse[] = [];
  private readonly interfaces: R.RInterface[] = [];
  private readonly declarations: (R.RDeclaration & { used: boolean })[] = [];
  private readonly rules: R.RRule[] = [];
  readonly out: Reporter;

  constructor(private readonly file: string) {
    this.out = new Reporter(file);
  }

  /** Looks a name up; reports E002/E004 (E005 at finish) and returns undefined when it cannot be used. */
  private lookup(name: string, span: Span, expected: 'interface' | 'address' | 'either'): Symbol | undefined {
    const symbol = this.symbols.get(name);
    if (!symbol) {
      // Declared later (E005), never (E002), or by a broken statement (silent): known at finish.
      this.undeclaredUses.push({ name, span });
      return undefined;
    }
    symbol.decl.used = true;
    if (expected !== 'either' && symbol.kind !== expected) {
      this.out.report(Messages.WrongKind, span, { name, actual: kindWords[symbol.kind], expected: kindWords[expected] }, [
        { span: symbol.decl.nameSpan, message: `'${name}' is declared here.` },
      ]);
      return undefined;
    }
    return symbol;
  }

  /** Resolves one address literal or address name to its entries. */
  private hostEntries(ref: A.HostRef): R.RAddress[] | undefined {
    if (ref.kind === 'name') {
      const symbol = this.lookup(ref.text, ref.span, 'address');
      if (symbol?.kind !== 'address' || !symbol.set) return undefined;
      return atUse(symbol.set.entries, ref.span);
    }
    const parsed = parseAddress(ref.kind, ref.text);
    if ('error' in parsed) {
      this.out.report(Messages.InvalidAddress, ref.span, { detail: parsed.error });
      return undefined;
    }
    return [{ net: parsed.net, span: ref.span }];
  }

  /** Address entries materialised so far, every name use counted (limits.addressEntries). */
  private materialised = 0;

  /** False (reported once per kind) when a set or the whole file passes the limits (E053, E054). */
  private withinLimits(setSize: number, added: number, span: Span): boolean {
    if (setSize > limits.listEntries) {
      this.out.report(Messages.ListTooLarge, span, { what: 'This address set, with names expanded,', limit: limits.listEntries });
      return false;
    }
    this.materialised += added;
    if (this.materialised <= limits.addressEntries) return true;
    if (this.materialised - added <= limits.addressEntries) this.out.report(Messages.TooManyAddresses, span, { limit: limits.addressEntries });
    return false;
  }

  /** Resolves an address value; undefined when any part failed. */
  addressSet(value: A.AddressValue): R.RAddressSet | undefined {
    const only = value.items[0];
    if (value.items.length === 1 && only) return this.oneAddress(only, value.span, !value.braced);
    const entries: R.RAddress[] = [];
    let ok = true;
    for (const item of value.items) {
      const got = this.hostEntries(item);
      if (!got) ok = false;
      else if (!this.withinLimits(entries.length + got.length, got.length, value.span)) return undefined;
      else for (const e of got) entries.push(e);
    }
    const name = !value.braced && only?.kind === 'name' ? only.text : null;
    return ok ? { entries, span: value.span, name } : undefined;
  }

  /**
   * addressSet of a value with one item (most of them, and every target): the entries as
   * resolved, in an array of their exact length (one grown by push keeps spare room while the
   * model lives).
   */
  private oneAddress(item: A.HostRef, span: Span, unbraced: boolean): R.RAddressSet | undefined {
    const entries = this.hostEntries(item);
    if (!entries || !this.withinLimits(entries.length, entries.length, span)) return undefined;
    return { entries, span, name: unbraced && item.kind === 'name' ? item.text : null };
  }

  /** Resolves a port list, in an array of its exact length; undefined when a service is unknown. */
  ports(spec: A.PortSpec): R.RPort[] | undefined {
    let ok = true;
    const items = spec.items;
    // Filled by index: a map callback would be a new closure for every rule.
    const out = new Array<R.RPort>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.kind === 'port') {
        const n = Number(item.port.text);
        out[i] = { first: n, last: n, span: item.span, text: item.port.text };
      } else if (item.kind === 'range') {
        out[i] = { first: Number(item.first.text), last: Number(item.last.text), span: item.span, text: `${item.first.text}-${item.last.text}` };
      } else {
        const port = services.get(item.name);
        if (port === undefined) {
          this.out.report(Messages.UnknownService, item.span, { name: item.name });
          ok = false;
        }
        out[i] = { first: port ?? 0, last: port ?? 0, span: item.span, text: item.name };
      }
    }
    return ok ? out : undefined;
  }

  interfaceRef(ident: A.Ident): R.RInterface | undefined {
    const symbol = this.lookup(ident.text, ident.span, 'interface');
    return symbol?.kind === 'interface' ? symbol.iface : undefined;
  }

  ingress(ref: A.HostRef): R.RIngress | undefined {
    if (ref.kind === 'name') {
      const symbol = this.lookup(ref.text, ref.span, 'either');
      if (!symbol) return undefined;
      if (symbol.kind === 'interface') return symbol.ingress;
      if (!symbol.set) return undefined;
      return { kind: 'address', set: { entries: atUse(symbol.set.entries, ref.span), span: ref.span, name: ref.text }, span: ref.span };
    }
    const entries = this.hostEntries(ref);
    return entries ? { kind: 'address', set: { entries, span: ref.span, name: null }, span: ref.span } : undefined;
  }

  /** Declares the name of an interface or address statement; `make` builds its symbol (not for a duplicate). */
  private declare(s: A.InterfaceDecl | A.AddressDecl, kind: 'interface' | 'address', make: (decl: R.RDeclaration & { used: boolean }) => Symbol): void {
    const name = s.name;
    // Even a duplicate: E005 for an earlier use points at the first declaration anywhere.
    if (!this.declaredAt.has(name.text)) this.declaredAt.set(name.text, s.span);
    const existing = this.symbols.get(name.text);
    if (existing) {
      this.out.report(Messages.DuplicateName, name.span, { name: name.text }, [{ span: existing.decl.nameSpan, message: 'The first declaration is here.' }]);
      return;
    }
    this.symbols.set(name.text, make({ kind, name: name.text, nameSpan: name.span, used: false }));
  }

  /** Resolves one statement (an include is expanded by the loader and left alone here). */
  add(s: A.Statement): void {
    const { interfaces, declarations, rules } = this;
    switch (s.kind) {
      case 'interface': {
        const subnets = s.subnet ? this.addressSet(s.subnet) : undefined;
        const iface: R.RInterface = { name: s.name.text, decl: s, device: s.device.text, subnets: subnets?.entries ?? [] };
        this.declare(s, 'interface', (decl) => {
          declarations.push(decl);
          interfaces.push(iface);
          return { kind: 'interface', iface, ingress: { kind: 'interface', iface }, decl };
        });
        break;
      }
      case 'address': {
        const set = this.addressSet(s.value);
        this.declare(s, 'address', (decl) => {
          declarations.push(decl);
          return { kind: 'address', set, decl };
        });
        break;
      }
      // Fields are written out in each rule (no spread of a shared options object): one allocation per rule.
      case 'forward':
        rules.push({
          kind: 'forward',
          span: s.span,
          ingressText: s.ingress.text,
          targetText: s.target.text,
          portsSpan: s.ports.span,
          targetPortsSpan: s.targetPorts ? s.targetPorts.span : null,
          protocols: protocolList(s.protocols),
          ingress: this.ingress(s.ingress),
          ports: this.ports(s.ports),
          target: this.oneAddress(s.target, s.target.span, true),
          targetPorts: s.targetPorts ? this.ports(s.targetPorts) : null,
          reflect: s.options.reflect,
          sources: this.sources(s.options),
          log: s.options.log !== null,
          comment: s.options.comment,
        });
        break;
      case 'redirect':
        rules.push({
          kind: 'redirect',
          span: s.span,
          ingressText: s.ingress ? s.ingress.text : null,
          portsSpan: s.ports.span,
          targetPortsSpan: s.targetPorts.span,
          protocols: protocolList(s.protocols),
          ingress: s.ingress ? this.ingress(s.ingress) : null,
          ports: this.ports(s.ports),
          targetPorts: this.ports(s.targetPorts),
          sources: this.sources(s.options),
          log: s.options.log !== null,
          comment: s.options.comment,
        });
        break;
      case 'allow':
        rules.push({
          kind: 'allow',
          span: s.span,
          protocols: protocolList(s.protocols),
          ingress: this.interfaceRef(s.ingress),
          target: this.oneAddress(s.target, s.target.span, true),
          ports: this.ports(s.ports),
          sources: this.sources(s.options),
          log: s.options.log !== null,
          comment: s.options.comment,
        });
        break;
      case 'masquerade':
        rules.push({ kind: 'masquerade', span: s.span, source: this.masqueradeSource(s.source), egress: this.interfaceRef(s.egress) });
        break;
      case 'include':
        // Included files are read at the include (sources/load.ts): the statement itself means nothing here.
        break;
    }
  }

  /** A rule's `from`: null without one, undefined when it failed to resolve. */
  private sources(o: A.Options): R.RAddressSet | null | undefined {
    return o.from ? this.addressSet(o.from) : null;
  }

  private masqueradeSource(value: A.AddressValue): R.RMasquerade['source'] {
    const only = value.items[0];
    if (!value.braced && only?.kind === 'name' && this.symbols.get(only.text)?.kind === 'interface') {
      const iface = this.interfaceRef({ text: only.text, span: only.span });
      return iface ? { kind: 'interface', iface } : undefined;
    }
    const set = this.addressSet(value);
    return set ? { kind: 'addresses', set } : undefined;
  }

  /**
   * The resolved file, once every statement is added: reports each use of a name that was not
   * declared at the time (E005 when it is declared further on, E002 when never, nothing when a
   * broken statement meant to declare it) and counts uses in broken statements for W001.
   */
  finish(recovered: Recovered): { file: R.RFile; diagnostics: Diagnostic[] } {
    for (const use of this.undeclaredUses) {
      // A declaration with a syntax error already has its diagnostic; its uses stay silent.
      if (recovered.broken.has(use.name)) continue;
      const later = this.declaredAt.get(use.name);
      if (!later) {
        this.out.report(Messages.UnknownName, use.span, { name: use.name });
        continue;
      }
      // Used too early is still used: no W001 for the declaration as well.
      const symbol = this.symbols.get(use.name);
      if (symbol) symbol.decl.used = true;
      this.out.report(Messages.UsedBeforeDeclaration, use.span, { name: use.name }, [{ span: later, message: 'It is declared here.' }]);
    }
    for (const decl of this.declarations) if (recovered.usedInBroken.has(decl.name)) decl.used = true;
    return { file: { file: this.file, interfaces: this.interfaces, declarations: this.declarations, rules: this.rules }, diagnostics: this.out.diagnostics };
  }
}

/** Resolves a file's names and values. Diagnostics: E002-E005, E013, E020. */
export function resolve(ast: A.AstFile, recovered: Recovered = { broken: new Set(), usedInBroken: new Set() }): { file: R.RFile; diagnostics: Diagnostic[] } {
  const resolver = new Resolver(ast.file);
  // Indexed: a for..of in code not yet optimised allocates an iterator result per statement.
  for (let i = 0; i < ast.statements.length; i++) resolver.add(ast.statements[i]!);
  return resolver.finish(recovered);
}

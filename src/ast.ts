/**
 * AST of a pfc file: what the user wrote, with a span on every node and no meaning attached yet
 * (names unbound, numbers and addresses still text). Built by the parser's actions (syntax/parser.ts,
 * with the constructors of syntax/to-ast.ts); read by resolve/.
 */

import type { Span } from './diagnostics/diagnostic.js';

/** A name as written, e.g. `wan`. */
export interface Ident {
  readonly text: string;
  readonly span: Span;
}

/** An address literal or a reference to a declared name. IPv6 text keeps its brackets. */
export type HostRef =
  | { readonly kind: 'ipv4'; readonly text: string; readonly span: Span }
  | { readonly kind: 'ipv6'; readonly text: string; readonly span: Span }
  | { readonly kind: 'name'; readonly text: string; readonly span: Span };

/** One address or a braced set of them. */
export interface AddressValue {
  readonly items: readonly HostRef[];
  readonly braced: boolean;
  readonly span: Span;
}

/** A number as written (its digits), checked later. */
export interface NumberText {
  readonly text: string;
  readonly span: Span;
}

/** One element of a port list. */
export type PortItem =
  | { readonly kind: 'port'; readonly port: NumberText; readonly span: Span }
  | { readonly kind: 'range'; readonly first: NumberText; readonly last: NumberText; readonly span: Span }
  | { readonly kind: 'service'; readonly name: string; readonly span: Span };

/** A port, range, service or a braced list of them. */
export interface PortSpec {
  readonly items: readonly PortItem[];
  readonly braced: boolean;
  readonly span: Span;
}

/** `tcp`, `udp` or `tcp/udp` as written (repeats kept, so they can be reported). */
export interface Protocols {
  readonly list: readonly { readonly name: 'tcp' | 'udp'; readonly span: Span }[];
  readonly span: Span;
}

/** Options after a rule. Each is set at most once (repeats are reported by to-ast). */
export interface Options {
  readonly from: AddressValue | null;
  readonly reflect: Span | null;
  readonly log: Span | null;
  readonly comment: { readonly text: string; readonly span: Span } | null;
}

/** `interface NAME = DEVICE [subnet ADDRESS]`. */
export interface InterfaceDecl {
  readonly kind: 'interface';
  readonly name: Ident;
  readonly device: Ident;
  readonly subnet: AddressValue | null;
  readonly span: Span;
}

/** `address NAME = ADDRESS`. */
export interface AddressDecl {
  readonly kind: 'address';
  readonly name: Ident;
  readonly value: AddressValue;
  readonly span: Span;
}

/** `forward PROTOCOLS INGRESS:PORTS -> TARGET[:PORTS] OPTIONS`. */
export interface ForwardStmt {
  readonly kind: 'forward';
  readonly protocols: Protocols;
  readonly ingress: HostRef;
  readonly ports: PortSpec;
  readonly target: HostRef;
  readonly targetPorts: PortSpec | null;
  readonly options: Options;
  readonly span: Span;
}

/** `redirect PROTOCOLS [INGRESS:]PORTS -> PORTS OPTIONS`. */
export interface RedirectStmt {
  readonly kind: 'redirect';
  readonly protocols: Protocols;
  readonly ingress: HostRef | null;
  readonly ports: PortSpec;
  readonly targetPorts: PortSpec;
  readonly options: Options;
  readonly span: Span;
}

/** `allow PROTOCOLS INGRESS -> TARGET:PORTS OPTIONS`. */
export interface AllowStmt {
  readonly kind: 'allow';
  readonly protocols: Protocols;
  readonly ingress: Ident;
  readonly target: HostRef;
  readonly ports: PortSpec;
  readonly options: Options;
  readonly span: Span;
}

/** `masquerade SOURCE -> INTERFACE`. */
export interface MasqueradeStmt {
  readonly kind: 'masquerade';
  readonly source: AddressValue;
  readonly egress: Ident;
  readonly span: Span;
}

/** `include "PATH"`. */
export interface IncludeStmt {
  readonly kind: 'include';
  readonly path: { readonly text: string; readonly span: Span };
  readonly span: Span;
}

/** Any statement. */
export type Statement = InterfaceDecl | AddressDecl | ForwardStmt | RedirectStmt | AllowStmt | MasqueradeStmt | IncludeStmt;

/** A rule statement (everything that is not a declaration or include). */
export type RuleStmt = ForwardStmt | RedirectStmt | AllowStmt | MasqueradeStmt;

/** One parsed file. */
export interface AstFile {
  readonly file: string;
  readonly statements: readonly Statement[];
}

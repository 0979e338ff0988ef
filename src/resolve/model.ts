/**
 * The resolved model: statements with names bound and text turned into values, each value with
 * the span where it was written. A part that failed to resolve is `undefined` (its diagnostic is
 * already reported), so checks can still look at the rest of the rule.
 */

import type * as A from '../ast.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Protocol } from '../ir/model.js';
import type { Net } from '../net/address.js';

/** An address as written (a literal, or one entry of a referenced name), with its value. */
export interface RAddress {
  readonly net: Net;
  /** Where it was written: the literal, or the use of the name that brought it in. */
  readonly span: Span;
}

/** A resolved address value: every entry, names flattened. */
export interface RAddressSet {
  readonly entries: readonly RAddress[];
  readonly span: Span;
  /** The name when the value was a single reference (`nas`), for messages. */
  readonly name: string | null;
}

/** A declared interface. */
export interface RInterface {
  readonly name: string;
  readonly decl: A.InterfaceDecl;
  readonly device: string;
  readonly subnets: readonly RAddress[];
}

/** A port or range as written; numbers are not range-checked yet (E010/E011 do that). */
export interface RPort {
  readonly first: number;
  readonly last: number;
  readonly span: Span;
  /** As written: `8080`, `10000-10009`, `https`. */
  readonly text: string;
}

/** Where a translating rule applies. An interface's is one object, shared by its rules. */
export type RIngress =
  | { readonly kind: 'interface'; readonly iface: RInterface }
  | { readonly kind: 'address'; readonly set: RAddressSet; readonly span: Span };

/**
 * Fields every rule with options has. A rule keeps what the checks quote of its statement (spans,
 * names as written), not the statement: the AST can then be freed once resolution is done.
 */
interface RRuleBase {
  /** The whole statement. */
  readonly span: Span;
  readonly protocols: readonly Protocol[];
  readonly ports: readonly RPort[] | undefined;
  /** null: no `from`; undefined: `from` failed to resolve. */
  readonly sources: RAddressSet | null | undefined;
  readonly log: boolean;
  readonly comment: { readonly text: string; readonly span: Span } | null;
}

/** A resolved forward. */
export interface RForward extends RRuleBase {
  readonly kind: 'forward';
  /** The ingress and target as written (a name or a literal), for messages. */
  readonly ingressText: string;
  readonly targetText: string;
  readonly portsSpan: Span;
  readonly targetPortsSpan: Span | null;
  readonly ingress: RIngress | undefined;
  readonly target: RAddressSet | undefined;
  readonly targetPorts: readonly RPort[] | null | undefined;
  readonly reflect: Span | null;
}

/** A resolved redirect. `ingress` null means every interface. */
export interface RRedirect extends RRuleBase {
  readonly kind: 'redirect';
  /** The ingress as written, null when the redirect has none. */
  readonly ingressText: string | null;
  readonly portsSpan: Span;
  readonly targetPortsSpan: Span;
  readonly ingress: RIngress | null | undefined;
  readonly targetPorts: readonly RPort[] | undefined;
}

/** A resolved allow. */
export interface RAllow extends RRuleBase {
  readonly kind: 'allow';
  readonly ingress: RInterface | undefined;
  readonly target: RAddressSet | undefined;
}

/** A resolved masquerade. */
export interface RMasquerade {
  readonly kind: 'masquerade';
  readonly span: Span;
  readonly source: { readonly kind: 'interface'; readonly iface: RInterface } | { readonly kind: 'addresses'; readonly set: RAddressSet } | undefined;
  readonly egress: RInterface | undefined;
}

/** Any resolved rule. */
export type RRule = RForward | RRedirect | RAllow | RMasquerade;

/** A declaration and whether anything used it (W001). */
export interface RDeclaration {
  readonly kind: 'interface' | 'address';
  readonly name: string;
  readonly nameSpan: Span;
  readonly used: boolean;
}

/** A whole resolved file. */
export interface RFile {
  readonly file: string;
  readonly interfaces: readonly RInterface[];
  readonly declarations: readonly RDeclaration[];
  readonly rules: readonly RRule[];
}

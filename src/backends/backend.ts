/**
 * The backend contract: what every target provides. A backend is pure: it turns the IR into
 * the list of rules it cannot express (as diagnostics) and a plain view model for its template.
 * Registered in backends/index.ts; rendered by backends/render.ts.
 */

import type { Span } from '../diagnostics/diagnostic.js';
import type { MessageId } from '../diagnostics/messages.js';
import type { Ir } from '../ir/model.js';

/** Options a user can pass to a target on the command line. */
export interface TargetOptions {
  /**
   * The name of what pfc owns on the target: the nftables table (default `pfc`), the pf anchor,
   * the iptables chain prefix. Validated by the CLI against [A-Za-z][A-Za-z0-9_-]{0,31}.
   */
  readonly table?: string;
}

/** A rule the target cannot express correctly; becomes an E1xx diagnostic at `span`. */
export interface Unsupported {
  readonly message: MessageId;
  readonly span: Span;
  /** Values for the message's placeholders. */
  readonly data: Readonly<Record<string, string | number>>;
}

/** What every target provides. */
export interface Backend<VM extends object = object> {
  /** Lower-case id used with --target: `nftables`. */
  readonly id: string;
  /** Other names accepted by --target: `nft`. */
  readonly aliases: readonly string[];
  /** One line for `pfc targets`. */
  readonly description: string;
  /** Template file name under templates/: `nftables.nft.hbs`. */
  readonly template: string;
  /** Expected-output file name in fixtures: `nftables.nft`. */
  readonly outputName: string;
  /** Rules this target cannot express; each becomes a diagnostic with the rule's span. */
  unsupported(ir: Ir, opts: TargetOptions): Unsupported[];
  /** Every decision for the target: grouping, ordering, names, formatting. Pure. */
  toViewModel(ir: Ir, opts: TargetOptions): VM;
}

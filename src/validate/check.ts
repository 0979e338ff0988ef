/**
 * The shape of a check: one concept per file under checks/, registered in validate/index.ts.
 * A check reads the resolved file and reports through the context; it never formats text.
 */

import type { Overlaps } from '../analysis/overlaps.js';
import type { Translation } from '../analysis/translations.js';
import type { RelatedLocation, Span } from '../diagnostics/diagnostic.js';
import type { Message } from '../diagnostics/messages.js';
import type { MessageData } from '../diagnostics/report.js';
import type { RFile } from '../resolve/model.js';

/** What a check sees besides the file: a reporter and facts shared between checks. */
export interface CheckContext {
  report(message: Message, span: Span, data?: MessageData, related?: readonly RelatedLocation[]): void;
  /** The translations of the file (computed once). */
  translations(): readonly Translation[];
  /** The overlaps between translations (computed once; `exceeded` when the pair budget ran out). */
  overlaps(): Readonly<Overlaps>;
}

/**
 * One check. Checks loop over the rules by index: each loop runs once per rule, in code not yet
 * optimised, where a for..of allocates an iterator result per step.
 */
export interface Check {
  /** kebab-case, the file name under checks/. */
  readonly id: string;
  run(file: RFile, ctx: CheckContext): void;
}

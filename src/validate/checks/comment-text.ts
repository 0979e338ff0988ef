/** Check E041: comments are at most 64 printable ASCII characters, without `"` or `\`. */

import { Messages } from '../../diagnostics/messages.js';
import { showChar } from '../../syntax/lexer.js';
import type { Check } from '../check.js';

/** Why a comment is invalid, or null. Exported for the backends' own assertions. */
export function commentProblem(text: string): string | null {
  if (text.length > 64) return `it has ${text.length} characters, at most 64 are allowed`;
  for (const ch of text) {
    if (ch === '"' || ch === '\\') return `${showChar(ch)} is not allowed in a comment`;
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e) return `${showChar(ch)} is not printable ASCII`;
  }
  return null;
}

/** Reports comments that cannot be carried safely into every target. */
export const commentText: Check = {
  id: 'comment-text',
  run(file, ctx) {
    const rules = file.rules;
    // Indexed: see check.ts.
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.kind === 'masquerade' || !rule.comment) continue;
      const reason = commentProblem(rule.comment.text);
      if (reason) ctx.report(Messages.InvalidComment, rule.comment.span, { reason });
    }
  },
};

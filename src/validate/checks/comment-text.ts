/** Check E041: comments are at most 64 printable ASCII characters, without `"` or `\`. */

import { Messages } from '../../diagnostics/messages.js';
import { showChar } from '../../syntax/lexer.js';
import type { Check } from '../check.js';

/** Why a comment is invalid, or null. Exported for the backends' own assertions. */
export function commentProblem(text: string): string | null {
  if (text.length > 64) return `it has ${text.length} characters, at most 64 are allowed`;
  // By code unit (a for..of over a string allocates per character): the first character that is
  // not printable ASCII ends the loop, so a surrogate pair is only ever read as the code point it starts.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x5c) return `${showChar(text[i]!)} is not allowed in a comment`;
    if (code < 0x20 || code > 0x7e) return `${showChar(String.fromCodePoint(text.codePointAt(i)!))} is not printable ASCII`;
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

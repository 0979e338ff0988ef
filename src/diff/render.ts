/**
 * Showing a semantic diff: a summary a reviewer reads (one line per statement added, removed or
 * changed, with file:line, and one line per changed field), or a JSON document (version 1).
 * File names are the main files as given, joined with the included file's path.
 */

import { dirname, join } from 'node:path/posix';
import type { Origin } from '../ir/model.js';
import type { RuleKind } from './facts.js';
import type { RuleChange, SemanticDiff } from './semantic.js';

/** The main files of the two sides, as the user named them. */
export interface DiffSides {
  readonly old: string;
  readonly new: string;
}

/** `file:line` of an origin, with the file as the user would open it. */
export function located(main: string, origin: Origin): string {
  const dir = main === '<stdin>' || main === '-' ? '.' : dirname(main);
  return `${origin.file === 'stdin' ? '<stdin>' : join(dir, origin.file)}:${origin.line}`;
}

const plural: Record<RuleKind, string> = { forward: 'forwards', redirect: 'redirects', allow: 'allows', masquerade: 'masquerades' };

function counts(changes: readonly RuleChange[]): string {
  const n = (c: RuleChange['change']) => changes.filter((x) => x.change === c).length;
  return [`${n('added')} added`, `${n('removed')} removed`, `${n('changed')} changed`].join(', ');
}

/** The summary as text; "No change in meaning." when the rule sets mean the same. */
export function renderSemanticText(diff: SemanticDiff, sides: DiffSides): string {
  const out: string[] = [];
  for (const i of diff.interfaces) {
    if (i.old === null) out.push(`+ interface ${i.name} = ${i.new}`);
    else if (i.new === null) out.push(`- interface ${i.name} = ${i.old}`);
    else out.push(`~ interface ${i.name}: ${i.old} -> ${i.new}`);
  }
  for (const kind of ['forward', 'redirect', 'allow', 'masquerade'] as const) {
    const changes = diff.rules.filter((c) => c.kind === kind);
    if (changes.length === 0) continue;
    out.push(`${plural[kind]}: ${counts(changes)}`);
    for (const c of changes) {
      if (c.change === 'added') out.push(`  + ${c.new.text}    (${located(sides.new, c.new.origin)})`);
      else if (c.change === 'removed') out.push(`  - ${c.old.text}    (${located(sides.old, c.old.origin)})`);
      else {
        out.push(`  ~ ${c.new.text}    (${located(sides.old, c.old.origin)} -> ${located(sides.new, c.new.origin)})`);
        for (const f of c.fields) out.push(`      ${f.field}: ${f.old || '(none)'} -> ${f.new || '(none)'}`);
      }
    }
  }
  return out.length === 0 ? 'No change in meaning.\n' : `${out.join('\n')}\n`;
}

/** The summary as the JSON document of `pfc diff --format json` (docs/cli.md). */
export function semanticJson(diff: SemanticDiff, sides: DiffSides, output: { target: string; diff: string } | null): object {
  const side = (main: string, r: { text: string; origin: Origin; fields: Record<string, { text: string }> }) => {
    const at = located(main, r.origin);
    const colon = at.lastIndexOf(':');
    return {
      statement: r.text,
      file: at.slice(0, colon),
      line: r.origin.line,
      fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v.text])),
    };
  };
  return {
    version: 1,
    equal: diff.rules.length === 0 && diff.interfaces.length === 0 && (output === null || output.diff === ''),
    interfaces: diff.interfaces.map((i) => ({
      name: i.name,
      change: i.old === null ? 'added' : i.new === null ? 'removed' : 'changed',
      old: i.old,
      new: i.new,
    })),
    rules: diff.rules.map((c) => ({
      kind: c.kind,
      change: c.change,
      ...(c.change !== 'added' ? { old: side(sides.old, c.old) } : {}),
      ...(c.change !== 'removed' ? { new: side(sides.new, c.new) } : {}),
      ...(c.change === 'changed' ? { fields: c.fields } : {}),
    })),
    ...(output ? { output } : {}),
  };
}

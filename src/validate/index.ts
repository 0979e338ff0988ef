/**
 * Validation: runs every check over the resolved file and keeps every diagnostic. The list
 * below is the registry of checks, sorted by id; adding a check is a file in checks/ and a line here.
 */

import { findOverlaps, type Overlaps } from '../analysis/overlaps.js';
import { type Translation, translations } from '../analysis/translations.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/report.js';
import type { RFile } from '../resolve/model.js';
import type { Check, CheckContext } from './check.js';
import { commentText } from './checks/comment-text.js';
import { conflicts } from './checks/conflicts.js';
import { deviceName } from './checks/device-name.js';
import { expansion } from './checks/expansion.js';
import { familiesCheck } from './checks/families.js';
import { fromEverything } from './checks/from-everything.js';
import { outsideSubnets } from './checks/outside-subnets.js';
import { portMappingCheck } from './checks/port-mapping.js';
import { portValues } from './checks/port-values.js';
import { reflect } from './checks/reflect.js';
import { singleHost } from './checks/single-host.js';
import { sshPort } from './checks/ssh-port.js';
import { unused } from './checks/unused.js';
import { usableTarget } from './checks/usable-target.js';

/** Every check, sorted by id. */
export const checks: readonly Check[] = [
  commentText,
  conflicts,
  deviceName,
  expansion,
  familiesCheck,
  fromEverything,
  outsideSubnets,
  portMappingCheck,
  portValues,
  reflect,
  singleHost,
  sshPort,
  unused,
  usableTarget,
];

/** Facts about a file that checks and lowering share, each computed once, on first use. */
export interface Facts {
  translations(): readonly Translation[];
  overlaps(): Overlaps;
}

/** The shared facts of a resolved file (lazy and memoised). */
export function factsOf(file: RFile): Facts {
  let memoTranslations: Translation[] | undefined;
  let memoOverlaps: Overlaps | undefined;
  const facts: Facts = {
    translations: () => (memoTranslations ??= translations(file)),
    overlaps: () => (memoOverlaps ??= findOverlaps(facts.translations())),
  };
  return facts;
}

/** Runs every check; returns all their diagnostics. */
export function validate(file: RFile, facts: Facts = factsOf(file)): Diagnostic[] {
  const out = new Reporter(file.file);
  const ctx: CheckContext = {
    report: (message, span, data, related) => out.report(message, span, data, related),
    translations: facts.translations,
    overlaps: facts.overlaps,
  };
  for (const check of checks) check.run(file, ctx);
  return out.diagnostics;
}

/**
 * Template helpers: formatting only, never a decision about the network (those belong in a
 * backend's toViewModel). Each is small and unit tested.
 */

import type Handlebars from 'handlebars';

/** `{{join list ", "}}`: joins a list of already formatted strings. */
function join(list: unknown, separator: unknown): string {
  if (!Array.isArray(list)) throw new Error('join: expected a list');
  return list.map(String).join(typeof separator === 'string' ? separator : ', ');
}

/** Every helper a template may call, by name. */
export const helpers: Record<string, Handlebars.HelperDelegate> = { join };

/**
 * The registry of targets: one line per backend, sorted by id. Adding a target is a module in
 * this folder, a template in templates/, a line here, and an expected output (or .err) for every
 * fixture case.
 */

import type { Backend } from './backend.js';
import { ip6tables } from './ip6tables.js';
import { ipfw } from './ipfw.js';
import { iptables } from './iptables.js';
import { nftables } from './nftables.js';
import { pf } from './pf.js';
import { pfLegacy } from './pf-legacy.js';

const registered: Backend[] = [ip6tables, iptables, nftables, ipfw, pf, pfLegacy];

/** Every registered backend, sorted by id. */
export const backends: readonly Backend[] = registered.sort((a, b) => (a.id < b.id ? -1 : 1));

/** Finds a backend by id or alias; undefined when there is none. */
export function findBackend(name: string): Backend | undefined {
  return backends.find((b) => b.id === name || b.aliases.includes(name));
}

/**
 * Port mapping: how a rule's matched ports map onto its target ports (LANGUAGE.md "forward"),
 * shared by the E012 check and lowering so both agree on what is valid.
 */

import type { PortMapping } from '../ir/model.js';
import type { RPort } from '../resolve/model.js';

/** True for a port or range within 1..65535 and not reversed. */
export const validPort = (p: RPort): boolean => Number.isInteger(p.first) && Number.isInteger(p.last) && p.first >= 1 && p.last <= 65535 && p.first <= p.last;

/** A target that cannot be mapped from the rule's ports, and why. */
export interface MappingError {
  readonly kind: 'error';
  readonly error: string;
}

/** The mapping of every rule without target ports, shared: IR values are read-only. */
const same: PortMapping = { kind: 'same' };

/**
 * The mapping, or why it is invalid. Ports must already be valid. Returned bare (not wrapped in
 * a result object): checks, translations and lowering ask for every rule's mapping.
 */
export function portMapping(ports: readonly RPort[], target: readonly RPort[] | null): PortMapping | MappingError {
  if (target === null) return same;
  if (target.length !== 1) return { kind: 'error', error: 'The target takes one port or one range, not a list.' };
  const t = target[0]!;
  if (t.first === t.last) return { kind: 'port', port: t.first };
  const only = ports[0];
  if (ports.length !== 1 || !only || only.first === only.last)
    return {
      kind: 'error',
      error: `Target range '${t.text}' needs a single range of the same size to map from, but the rule matches ${ports.map((p) => `'${p.text}'`).join(', ')}.`,
    };
  const size = only.last - only.first + 1;
  const targetSize = t.last - t.first + 1;
  if (size !== targetSize)
    return {
      kind: 'error',
      error: `Target range '${t.text}' has ${targetSize} ports, but '${only.text}' has ${size}; a range maps port by port onto one of the same size.`,
    };
  if (t.first === only.first) return same;
  return { kind: 'shift', first: t.first, last: t.last };
}

/** The target port that `port` maps to, or null when the port is kept. */
export function mappedPort(mapping: PortMapping, ports: readonly { first: number }[], port: number): number | null {
  if (mapping.kind === 'same') return null;
  if (mapping.kind === 'port') return mapping.port;
  return mapping.first + (port - (ports[0]?.first ?? port));
}

/**
 * Port mapping: how a rule's matched ports map onto its target ports (LANGUAGE.md "forward"),
 * shared by the E012 check and lowering so both agree on what is valid.
 */

import type { PortMapping } from '../ir/model.js';
import type { RPort } from '../resolve/model.js';

/** True for a port or range within 1..65535 and not reversed. */
export const validPort = (p: RPort): boolean => Number.isInteger(p.first) && Number.isInteger(p.last) && p.first >= 1 && p.last <= 65535 && p.first <= p.last;

/** Why a mapping is invalid, or the mapping. Ports must already be valid. */
export function portMapping(ports: readonly RPort[], target: readonly RPort[] | null): { mapping: PortMapping } | { error: string } {
  if (target === null) return { mapping: { kind: 'same' } };
  if (target.length !== 1) return { error: 'The target takes one port or one range, not a list.' };
  const t = target[0]!;
  if (t.first === t.last) return { mapping: { kind: 'port', port: t.first } };
  const only = ports[0];
  if (ports.length !== 1 || !only || only.first === only.last)
    return {
      error: `Target range '${t.text}' needs a single range of the same size to map from, but the rule matches ${ports.map((p) => `'${p.text}'`).join(', ')}.`,
    };
  const size = only.last - only.first + 1;
  const targetSize = t.last - t.first + 1;
  if (size !== targetSize)
    return { error: `Target range '${t.text}' has ${targetSize} ports, but '${only.text}' has ${size}; a range maps port by port onto one of the same size.` };
  if (t.first === only.first) return { mapping: { kind: 'same' } };
  return { mapping: { kind: 'shift', first: t.first, last: t.last } };
}

/** The target port that `port` maps to, or null when the port is kept. */
export function mappedPort(mapping: PortMapping, ports: readonly { first: number }[], port: number): number | null {
  if (mapping.kind === 'same') return null;
  if (mapping.kind === 'port') return mapping.port;
  return mapping.first + (port - (ports[0]?.first ?? port));
}

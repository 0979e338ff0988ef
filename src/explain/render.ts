/**
 * Showing an explanation: a few labelled lines for people (packet, rule with file:line and the
 * statement, result, source), or the JSON document of `pfc explain --format json` (version 1).
 */

import { ruleFacts } from '../diff/facts.js';
import { located } from '../diff/render.js';
import type { Ir } from '../ir/model.js';
import type { Explanation } from './match.js';

const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

function statementOf(ir: Ir, e: Explanation): string | null {
  if (!e.rule) return null;
  return ruleFacts(ir).find((f) => f.kind === e.rule!.kind && f.origin.span.start === e.rule!.origin.span.start)?.text ?? null;
}

/** The result in words. */
function result(e: Explanation): string {
  switch (e.verdict) {
    case 'forward':
      return `forwarded to ${hostPort(e.to!.host, e.to!.port)}`;
    case 'redirect':
      return `redirected to port ${e.to!.port} on the router`;
    case 'allow':
      return `let through to ${hostPort(e.to!.host, e.to!.port)} unchanged (a pinhole)`;
    case 'masquerade':
      return `not translated on its way in; leaving through '${e.rewrittenVia!.name}' it is masqueraded`;
    default:
      return 'no rule matches: pfc leaves the packet alone (the host firewall decides)';
  }
}

function source(e: Explanation, packetSource: string): string {
  if (e.verdict === 'none') return `${packetSource} (unchanged)`;
  if (e.reflected) return `rewritten to the router's address on '${e.rewrittenVia!.name}' (reflection), so replies come back through the router`;
  if (e.verdict === 'masquerade') return `rewritten to the router's address on '${e.rewrittenVia!.name}' (masquerade)`;
  return `kept: the target sees ${packetSource}`;
}

/** The explanation as text lines. */
export function renderExplanation(ir: Ir, e: Explanation, packet: string, packetSource: string, main: string): string {
  const arrival = e.arrival
    ? ` (arrives on '${e.arrival.iface.name}'${e.arrival.reason === 'given' || e.arrival.reason === 'destination' ? '' : `, by its ${e.arrival.reason === 'source subnet' ? 'source subnet' : 'only interface without a subnet'}`})`
    : '';
  const lines = [`packet:  ${packet}${arrival}`];
  if (e.rule) lines.push(`rule:    ${e.rule.kind} at ${located(main, e.rule.origin)}: ${statementOf(ir, e) ?? ''}`.trimEnd());
  lines.push(`result:  ${result(e)}${e.logged ? ', logged' : ''}`);
  lines.push(`source:  ${source(e, packetSource)}`);
  for (const n of e.notes) lines.push(`note:    ${n}`);
  return `${lines.join('\n')}\n`;
}

/** The explanation as the JSON document (docs/cli.md). */
export function explanationJson(ir: Ir, e: Explanation, packet: string, main: string): object {
  const at = e.rule ? located(main, e.rule.origin) : null;
  return {
    version: 1,
    packet,
    arrival: e.arrival ? { interface: e.arrival.iface.name, device: e.arrival.iface.device, reason: e.arrival.reason } : null,
    verdict: e.verdict,
    rule: e.rule
      ? {
          kind: e.rule.kind,
          file: at!.slice(0, at!.lastIndexOf(':')),
          line: e.rule.origin.line,
          tag: e.rule.origin.tag,
          statement: statementOf(ir, e),
          comment: e.rule.comment,
        }
      : null,
    to: e.to,
    sourceRewritten: e.rewrittenVia !== null,
    rewrittenVia: e.rewrittenVia ? e.rewrittenVia.name : null,
    reflected: e.reflected,
    logged: e.logged,
    notes: e.notes,
  };
}

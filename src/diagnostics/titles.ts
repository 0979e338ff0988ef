/**
 * One-line titles of the diagnostic codes (the table in docs/language.md), for formats that
 * describe rules apart from results: SARIF's rule metadata.
 */

import { Messages } from './messages.js';

const titles: Readonly<Record<string, string>> = {
  E001: 'Syntax error',
  E002: 'Unknown name',
  E003: 'Name declared twice',
  E004: 'Name of the wrong kind',
  E005: 'Name used before its declaration',
  E006: 'Include cycle',
  E007: 'Included file cannot be read',
  E010: 'Port out of range',
  E011: 'Reversed range',
  E012: 'Target ports do not map onto the external ports',
  E013: 'Unknown service name',
  E014: 'Protocol or option repeated',
  E020: 'Invalid address or prefix',
  E021: 'Not a single host',
  E022: 'Unusable target address',
  E023: 'IPv4 and IPv6 mixed in one rule',
  E030: 'Conflicting rules',
  E031: 'Duplicate rule',
  E040: 'Reflect without an ingress interface and another interface',
  E041: 'Invalid comment text',
  E042: 'Invalid interface device name',
  W001: 'Declaration never used',
  W002: "Port 22 taken from the router's SSH server",
  W003: "A 'from' set that covers every address",
  W004: 'Target outside every declared subnet',
};

/** The title of a code; target capability codes (E1xx, W1xx) share one. */
export function codeTitle(code: string): string {
  return titles[code] ?? (/^[EW]1\d\d$/.test(code) ? 'The target cannot express a rule as written' : code);
}

/** The catalogue id of a code (`E030` → `Conflict`), for SARIF rule names. */
export function codeName(code: string): string {
  return Object.entries(Messages).find(([, m]) => m.code === code)?.[0] ?? code;
}

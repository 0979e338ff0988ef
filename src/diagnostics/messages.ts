/**
 * The catalogue of diagnostics: every code pfc reports, its severity and its text with named
 * {placeholders}. Codes are stable across versions (LANGUAGE.md); E1xx are target capability
 * errors, E2xx apply errors. Checks refer to entries by id and never format text themselves.
 */

import type { Severity } from './diagnostic.js';

/** One catalogue entry. */
export interface Message {
  readonly code: string;
  readonly severity: Severity;
  readonly text: string;
}

const error = (code: string, text: string): Message => ({ code, severity: 'error', text });
const warning = (code: string, text: string): Message => ({ code, severity: 'warning', text });

/** Every diagnostic pfc can report. */
export const Messages = {
  // Syntax
  SyntaxError: error('E001', '{detail}'),
  // Names
  UnknownName: error('E002', "Unknown name '{name}'."),
  DuplicateName: error('E003', "'{name}' is already declared."),
  WrongKind: error('E004', "'{name}' is {actual}, but {expected} is needed here."),
  UsedBeforeDeclaration: error('E005', "'{name}' is used before its declaration."),
  IncludeCycle: error('E006', 'Include cycle: {chain}.'),
  IncludeUnreadable: error('E007', "Cannot read included file '{path}': {reason}."),
  // Ports
  PortOutOfRange: error('E010', "Port '{port}' is out of range (1..65535)."),
  ReversedRange: error('E011', "Range '{range}' is reversed: {first} is greater than {last}."),
  RangeSizeMismatch: error('E012', '{detail}'),
  UnknownService: error('E013', "Unknown service name '{name}'."),
  Repeated: error('E014', "{what} '{name}' is given more than once."),
  // Addresses
  InvalidAddress: error('E020', '{detail}'),
  NotSingleHost: error('E021', "{what} '{name}' is not a single host."),
  UnusableTarget: error('E022', "Target '{address}' is unusable: {reason}."),
  MixedFamilies: error('E023', '{detail}'),
  // Rule set
  Conflict: error('E030', '{detail}'),
  Duplicate: error('E031', '{detail}'),
  // Options and names of things
  ReflectNeedsInterfaces: error('E040', '{detail}'),
  InvalidComment: error('E041', 'Invalid comment: {reason}.'),
  InvalidDevice: error('E042', "Invalid interface device name '{device}': {reason}."),
  // Resource limits (src/limits.ts, docs/security.md): E050-E059
  SourceTooLarge: error('E050', 'The rule set is too large: this file has {size} bytes and the rule set may hold at most {limit}; pfc stops reading here.'),
  TooManyStatements: error('E051', 'Too many statements: a rule set holds at most {limit}.'),
  TooManyTokens: error('E052', 'Too many tokens: a rule set holds at most {limit} (names, numbers, addresses, strings, punctuation).'),
  ListTooLarge: error('E053', '{what} has more than {limit} entries.'),
  TooManyAddresses: error('E054', 'Address names expand to more than {limit} entries over the whole rule set.'),
  TooManyElements: error('E055', 'The rule set expands to more than {limit} elements (ports, port by port for shifted ranges, times sources).'),
  NotRules: error('E056', 'This does not look like a rules file ({why}; binary?); pfc stops reading it here.'),
  TooManyOverlaps: error('E057', 'Too many pairs of rules share ports (more than {limit}); pfc stops comparing them here.'),
  MoreErrors: error('E059', '{count} more diagnostics are not shown (pfc shows at most {limit}).'),
  MoreWarnings: warning('W059', '{count} more warnings are not shown (pfc shows at most {limit}).'),
  // Target capability (E1xx), one block per target: iptables E100-E109, pf and pf-legacy
  // E110-E129, ipfw E130-E149. Each entry names what the target cannot express and why.
  IptablesReflectSubnet: error(
    'E100',
    "Reflection through '{iface}' needs its {family} subnet declared for target '{target}': iptables cannot match the incoming interface where it masquerades, so it matches the source network.",
  ),
  IptablesMasqueradeSubnet: error(
    'E101',
    "Masquerade from '{iface}' needs its {family} subnet declared for target '{target}': iptables cannot match the incoming interface in POSTROUTING, so it matches the source network.",
  ),
  IptablesChainPrefix: error('E102', "Chain prefix '{prefix}' is too long for target '{target}': at most {max} characters."),
  IptablesOtherFamily: warning('W100', "Target '{target}' leaves out the {family} rules at {tags}; target '{other}' takes them."),
  IpfwReflect: error(
    'E130',
    "ipfw cannot reflect the forward to '{target}': the only recipe (a second NAT instance) is unverified; use split-horizon DNS or a pf target.",
  ),
  IpfwIpv6Forward: error('E131', "ipfw has no IPv6 destination NAT, so the forward to '{target}' cannot be compiled; publish the host with 'allow' instead."),
  IpfwSourceOverlap: error(
    'E132',
    "ipfw cannot choose between forwards of {protocol} port '{ports}' on '{ingress}' by source: one NAT instance holds one redirect per port.",
  ),
  IpfwIpv6Masquerade: error('E133', "ipfw in-kernel NAT is IPv4 only, so IPv6 masquerade through '{egress}' cannot be compiled."),
  IpfwTooManyPorts: error('E134', "ipfw needs one {what} per port for this mapping, and {count} ports exceed pfc's limit of {limit}."),
  IpfwRedirectOrder: error(
    'E136',
    "ipfw runs redirects (fwd) before forwards (nat), so this forward of {protocol} port '{ports}' on '{ingress}' cannot win over the wider redirect of the same port.",
  ),
  // E135 (IpfwRuleRange, "rules beyond pfc's range") is retired and not reused: ipfw rules may
  // share a number, so pfc's range holds any number of rules (docs/targets.md, ipfw).
  // Warnings
  UnusedDeclaration: warning('W001', "{kind} '{name}' is declared but never used."),
  SshPort: warning('W002', "{what} port 22 on {where}: it takes the port from the router's own SSH server."),
  FromEverything: warning('W003', "The 'from' set covers every {family} address, so it restricts nothing."),
  OutsideSubnets: warning('W004', "Target '{address}' lies outside every declared {family} subnet."),
} as const satisfies Record<string, Message>;

/** The id of a catalogue entry, e.g. 'Conflict'. */
export type MessageId = keyof typeof Messages;

/** Replaces {placeholders} in a catalogue text with values. */
export function formatMessage(text: string, data: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? shorten(String(data[key])) : whole));
}

/**
 * A value as a message shows it: control and bidi characters from the input become '?' (in JSON
 * too), and a value longer than 300 characters is cut, so no message repeats a huge token.
 */
function shorten(value: string): string {
  const safe = value.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
  return safe.length > 300 ? `${safe.slice(0, 297)}...` : safe;
}

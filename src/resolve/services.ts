/**
 * The built-in table of service names (LANGUAGE.md): the same on every platform, so output never
 * depends on the /etc/services of the machine that compiles.
 */

/** Well-known service names and their ports. */
export const services: ReadonlyMap<string, number> = new Map([
  ['ftp', 21],
  ['ssh', 22],
  ['telnet', 23],
  ['smtp', 25],
  ['domain', 53],
  ['dns', 53],
  ['http', 80],
  ['pop3', 110],
  ['ntp', 123],
  ['imap', 143],
  ['snmp', 161],
  ['ldap', 389],
  ['https', 443],
  ['smtps', 465],
  ['submission', 587],
  ['ldaps', 636],
  ['imaps', 993],
  ['pop3s', 995],
  ['openvpn', 1194],
  ['mqtt', 1883],
  ['mysql', 3306],
  ['rdp', 3389],
  ['sip', 5060],
  ['postgresql', 5432],
  ['vnc', 5900],
  ['http-alt', 8080],
  ['wireguard', 51820],
]);

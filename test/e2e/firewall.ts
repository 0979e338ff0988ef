/**
 * The e2e base firewall: the host firewall a pfc rule set is loaded beside, as nft and
 * iptables-restore text. Pure text builders, no system access; netns.ts loads them into the
 * router (loadBaseFirewall) and re-exports everything here.
 */

/** How the base firewall recognises connections pfc accepted with `allow` (nftables only). */
export interface AllowMark {
  /** `ct` matches the conntrack mark, `meta` the packet mark. */
  readonly kind: 'ct' | 'meta';
  /** The bit(s) pfc sets; the base firewall accepts when all of them are set. Non-zero. */
  readonly mask: number;
}

/** The router's devices the base firewall names. */
export interface RouterDevices {
  readonly wan: string;
  readonly lan: string;
}

/** Options of the nftables base firewall. */
export interface BaseNftOptions {
  /** The bit pfc sets on connections it lets through with `allow`. */
  readonly mark: AllowMark;
  /**
   * `drop` gives the input chain policy drop, accepting only loopback, ICMP/ICMPv6,
   * established/related and `ct status dnat` (what docs/targets.md asks of a host for
   * `redirect`); `accept` (the default) leaves input open.
   */
  readonly input?: 'accept' | 'drop';
}

/**
 * The base firewall for nftables, as a table of its own (`table inet base`, replaced whole):
 * forward policy drop, accepting established/related, DNAT-ed connections (`ct status dnat`),
 * connections carrying pfc's allow mark, and new connections from LAN to WAN. Output stays open.
 */
export function baseFirewallNft(opts: BaseNftOptions, dev: RouterDevices): string {
  if (opts.mark.mask <= 0) throw new Error('baseFirewallNft: the allow mark needs a non-zero mask');
  const match = opts.mark.kind === 'ct' ? 'ct mark' : 'meta mark';
  const bits = `0x${opts.mark.mask.toString(16).padStart(8, '0')}`;
  const input =
    opts.input === 'drop'
      ? [
          '  chain input {',
          '    type filter hook input priority filter; policy drop;',
          '    iif "lo" accept',
          '    ct state established,related accept',
          '    ct status dnat accept',
          '    meta l4proto { icmp, ipv6-icmp } accept',
          '  }',
        ]
      : [];
  return [
    'table inet base',
    'delete table inet base',
    'table inet base {',
    ...input,
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    '    ct state established,related accept',
    '    ct status dnat accept',
    `    ${match} and ${bits} == ${bits} accept`,
    `    iifname "${dev.lan}" oifname "${dev.wan}" accept`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * The same base firewall for iptables and ip6tables (one text serves both): FORWARD policy
 * DROP, ESTABLISHED,RELATED and LAN to WAN accepted. For `iptables-*-restore --noflush`; it
 * flushes the FORWARD chain only, so load it before pfc's rules.
 */
export function baseFirewallIptables(dev: RouterDevices): string {
  return [
    '*filter',
    ':FORWARD DROP [0:0]',
    '-F FORWARD',
    '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    `-A FORWARD -i ${dev.lan} -o ${dev.wan} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

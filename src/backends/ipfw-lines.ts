/**
 * The long, repeated parts of the ipfw script as text: each section's `ipfw -q add` lines and
 * each NAT instance's `redirect_port` arguments, one per rule (hundreds of thousands for a large
 * file). They go into TextBlocks rather than an object per rule for an `{{#each}}`;
 * templates/ipfw.sh.hbs places the text. Every part is a validated IR value, a number, or text
 * quoted by ipfw-syntax.ts (render.ts runs handlebars with noEscape).
 */

import type { PortForward } from '../ir/model.js';
import { ruleNumber } from './ipfw-numbers.js';
import { eachPort, ipfwPortRange } from './ipfw-syntax.js';
import { TextBlock } from './text-block.js';

/**
 * Script text built here: `ipfw -q add` lines, each ending in a newline, or a NAT instance's
 * redirect_port continuations, each starting with ` \` and a newline.
 */
export type IpfwLines = string;

/**
 * The `ipfw -q add NUMBER set SET ACTION BODY // COMMENT` lines of one section, numbered as they
 * are added. The section was placed from its size (ipfw-numbers.ts) before any line was written,
 * so adding more or fewer rules than that size is a bug in the backend, and throws.
 */
export class RuleLines {
  private readonly block = new TextBlock();
  private added = 0;
  /** ` set 21 `, the same on every line. */
  private readonly set: string;

  constructor(
    /** The section's first number, where a `skipto` to it lands. */
    readonly first: number,
    private readonly per: number,
    private readonly size: number,
    set: number,
  ) {
    this.set = ` set ${set} `;
  }

  /** Appends the next rule: `action` as `nat 10001`, `body` as `tcp from any to me 80 in recv em0`, `comment` shell-quoted. */
  add(action: string, body: string, comment: string): void {
    if (this.added === this.size) throw new Error(`ipfw: more than the ${this.size} rules placed in a section`);
    const number = ruleNumber(this.first, this.per, this.added++);
    this.block.add(`ipfw -q add ${number}${this.set}${action} ${body} // ${comment}\n`);
  }

  /** Every line added. */
  get text(): IpfwLines {
    if (this.added !== this.size) throw new Error(`ipfw: ${this.added} of the ${this.size} rules placed in a section`);
    return this.block.text;
  }
}

/**
 * ipfw(8) / natd(8) `redirect_port proto targetIP:targetPORT[-targetPORT] aliasPORT[-aliasPORT]`:
 * one protocol each, ranges of equal size (nat.c setup_redir_port), so `port` mappings expand.
 */
export function redirectPorts(f: PortForward): string[] {
  const host = f.target.address;
  if (f.mapping.kind === 'same') return f.ports.map((r) => `${f.protocol} ${host}:${ipfwPortRange(r)} ${ipfwPortRange(r)}`);
  if (f.mapping.kind === 'shift') {
    const to = ipfwPortRange({ first: f.mapping.first, last: f.mapping.last });
    return f.ports.map((r) => `${f.protocol} ${host}:${to} ${ipfwPortRange(r)}`);
  }
  const port = f.mapping.port;
  return eachPort(f.ports).map((p) => `${f.protocol} ${host}:${port} ${p}`);
}

/** The redirect_port arguments of a NAT instance's forwards, each continuing its `nat N config` command. */
export function redirectLines(forwards: readonly PortForward[]): IpfwLines {
  const block = new TextBlock();
  for (const f of forwards) {
    for (const args of redirectPorts(f)) {
      block.add(' \\\n    redirect_port ');
      block.add(args);
    }
  }
  return block.text;
}

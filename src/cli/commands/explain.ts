/**
 * `pfc explain FILE --packet "PROTO SRC[:SPORT] -> DST:DPORT [on IFACE]" [--format text|json]`:
 * which rule handles the packet (file:line), where it ends up, whether its source is rewritten.
 * Exit 0 when a rule matches, 1 when none does (or FILE has errors), 2 for a bad packet.
 */

import { checkSource } from '../../compile.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { type Explanation, explainPacket, UnknownInterface } from '../../explain/match.js';
import { parsePacket } from '../../explain/packet.js';
import { explanationJson, renderExplanation } from '../../explain/render.js';
import { addressText } from '../../net/address.js';
import { readInclude, readInput, UsageError } from '../io.js';
import { printText } from '../output.js';

/** Runs the command; returns the exit status. */
export function explainCommand(file: string, opts: { packet: string; format: string }): number {
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`unknown format '${opts.format}' (use text or json)`);
  const parsed = parsePacket(opts.packet);
  if ('error' in parsed) throw new UsageError(`invalid --packet: ${parsed.error}`);
  const name = file === '-' ? '<stdin>' : file;
  const checked = checkSource(readInput(file), name, { readFile: readInclude });
  printText(checked.diagnostics, checked.sources);
  if (hasErrors(checked.diagnostics) || !checked.ir) return 1;
  let explanation: Explanation;
  try {
    explanation = explainPacket(checked.ir, parsed.packet);
  } catch (error) {
    if (error instanceof UnknownInterface) throw new UsageError(`invalid --packet: ${error.message}`);
    throw error;
  }
  const packet = opts.packet.trim().replace(/\s+/g, ' ');
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify(explanationJson(checked.ir, explanation, packet, name), null, 2)}\n`);
  else process.stdout.write(renderExplanation(checked.ir, explanation, packet, addressText(parsed.packet.source.family, parsed.packet.source.bits), name));
  return explanation.verdict === 'none' ? 1 : 0;
}

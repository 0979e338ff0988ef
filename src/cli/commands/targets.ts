/** `pfc targets`: the registered targets, one per line. */

import { backends } from '../../backends/index.js';

/** Prints the targets table; returns the exit status. */
export function targetsCommand(): number {
  const width = Math.max(...backends.map((b) => b.id.length), 6);
  for (const b of backends) {
    const aliases = b.aliases.length > 0 ? ` (alias: ${b.aliases.join(', ')})` : '';
    process.stdout.write(`${b.id.padEnd(width)}  ${b.description}${aliases}\n`);
  }
  return 0;
}

/**
 * Test support: runs `nft -c -f -` on a text inside a throwaway network namespace, so a check
 * never touches the host's rule set. Needs root, nft and `ip netns`; nftAvailable() says why not.
 */

import { randomBytes } from 'node:crypto';
import { execa } from 'execa';

/** Whether nft checks can run here, and if not, why. */
export type NftAvailability = { readonly ok: true; readonly reason: '' } | { readonly ok: false; readonly reason: string };

/** The result of one `nft -c -f -` run. */
export interface NftCheckResult {
  readonly ok: boolean;
  /** nft's error output (empty on success). */
  readonly stderr: string;
}

let availability: Promise<NftAvailability> | undefined;

async function probe(): Promise<NftAvailability> {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
  const version = await execa('nft', ['--version'], { reject: false });
  if (version.failed) return { ok: false, reason: 'nft is not installed' };
  const result = await nftCheck('table inet pfc_probe {\n}\n').catch((e: unknown) => ({ ok: false, stderr: String(e) }));
  return result.ok ? { ok: true, reason: '' } : { ok: false, reason: `nft -c in a namespace failed: ${result.stderr}` };
}

/** Checks once (cached) that root, nft and network namespaces are all usable. */
export function nftAvailable(): Promise<NftAvailability> {
  availability ??= probe();
  return availability;
}

/**
 * Runs `nft -c -f -` with `text` on stdin inside a new network namespace, which is always
 * deleted afterwards. Never uses a shell.
 */
export async function nftCheck(text: string): Promise<NftCheckResult> {
  const ns = `pfc-nftc-${process.pid}-${randomBytes(4).toString('hex')}`;
  await execa('ip', ['netns', 'add', ns]);
  try {
    const run = await execa('ip', ['netns', 'exec', ns, 'nft', '-c', '-f', '-'], { input: text, reject: false });
    return { ok: run.exitCode === 0, stderr: String(run.stderr ?? '') };
  } finally {
    await execa('ip', ['netns', 'delete', ns], { reject: false });
  }
}

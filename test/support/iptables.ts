/**
 * Test support: runs `(ip6)iptables-(nft|legacy)-restore` on a text inside a throwaway network
 * namespace (always deleted afterwards), after creating pfc's hooks there, so a check never
 * touches the host's rules. Needs root and `ip netns`; iptablesAvailable() says why not.
 */

import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import type { IptablesHook } from '../../src/backends/iptables-builder.js';

/** nf_tables or legacy (x_tables) iptables. */
export type IptablesVariant = 'nft' | 'legacy';
/** `iptables` or `ip6tables`. */
export type IptablesTool = 'iptables' | 'ip6tables';

/** Whether namespace checks can run here, and if not, why. */
export type IptablesAvailability = { readonly ok: true; readonly reason: '' } | { readonly ok: false; readonly reason: string };

/** The result of one run: `stderr` carries the tool's complaint. */
export interface RunResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Full binary names (never through update-alternatives), so nft and legacy run side by side. */
export const binary = (tool: IptablesTool, variant: IptablesVariant, restore = false): string => `/usr/sbin/${tool}-${variant}${restore ? '-restore' : ''}`;

async function run(ns: string, argv: readonly string[], input = ''): Promise<RunResult> {
  const r = await execa('ip', ['netns', 'exec', ns, ...argv], { input, reject: false, timeout: 20_000 });
  return { ok: r.exitCode === 0, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A throwaway namespace; deleted by {@link deleteNamespace}. */
export async function createNamespace(label: string): Promise<string> {
  const ns = `pfc-ipt-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
  await execa('ip', ['netns', 'add', ns]);
  return ns;
}

/** Deletes a namespace made by {@link createNamespace}; never throws. */
export async function deleteNamespace(ns: string): Promise<void> {
  await execa('ip', ['netns', 'delete', ns], { reject: false });
}

/** Runs `NS fn` with a fresh namespace and always deletes it. */
export async function inNamespace<T>(label: string, fn: (ns: string) => Promise<T>): Promise<T> {
  const ns = await createNamespace(label);
  try {
    return await fn(ns);
  } finally {
    await deleteNamespace(ns);
  }
}

/**
 * Creates pfc's hooks the documented way, idempotently: `-N CHAIN` (fails harmlessly when it
 * exists), then `-C BUILTIN -j CHAIN || -I BUILTIN -j CHAIN`.
 */
export async function ensureHooks(ns: string, variant: IptablesVariant, hooks: readonly IptablesHook[]): Promise<void> {
  for (const h of hooks) {
    const tool = binary(h.tool as IptablesTool, variant);
    await run(ns, [tool, '-w', '-t', h.table, '-N', h.chain]);
    const check = await run(ns, [tool, '-w', '-t', h.table, '-C', h.builtin, '-j', h.chain]);
    if (check.ok) continue;
    const insert = await run(ns, [tool, '-w', '-t', h.table, '-I', h.builtin, '-j', h.chain]);
    if (!insert.ok) throw new Error(`hook ${h.builtin} -> ${h.chain}: ${insert.stderr}`);
  }
}

/** `tool-variant-restore --noflush [--test]` with `text` on stdin inside `ns`. */
export function restore(ns: string, tool: IptablesTool, variant: IptablesVariant, text: string, test = false): Promise<RunResult> {
  return run(ns, [binary(tool, variant, true), '--noflush', ...(test ? ['--test'] : [])], text);
}

/** `tool-variant-save` of one table inside `ns`, without its `#` comment lines (dates). */
export async function save(ns: string, tool: IptablesTool, variant: IptablesVariant, table: 'nat' | 'filter'): Promise<string> {
  const r = await run(ns, [`/usr/sbin/${tool}-${variant}-save`, '-t', table]);
  if (!r.ok) throw new Error(`${tool}-${variant}-save: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

/** Rule lines (`-A ...`) of a save text, optionally only those of one chain. */
export function ruleLines(saved: string, chain?: string): string[] {
  return saved.split('\n').filter((l) => l.startsWith(chain ? `-A ${chain} ` : '-A '));
}

/**
 * Checks `text` with `restore --noflush --test` in a fresh namespace that has pfc's hooks, for
 * one tool and variant.
 */
export function restoreCheck(tool: IptablesTool, variant: IptablesVariant, text: string, hooks: readonly IptablesHook[]): Promise<RunResult> {
  return inNamespace('check', async (ns) => {
    await ensureHooks(ns, variant, hooks);
    return restore(ns, tool, variant, text, true);
  });
}

let availability: Promise<IptablesAvailability> | undefined;

async function probe(): Promise<IptablesAvailability> {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
  for (const tool of ['iptables', 'ip6tables'] as const)
    for (const variant of ['nft', 'legacy'] as const) {
      const v = await execa(binary(tool, variant, true), ['--version'], { reject: false });
      if (v.failed) return { ok: false, reason: `${binary(tool, variant, true)} is not installed` };
    }
  try {
    const ok = await inNamespace('probe', async (ns) => (await restore(ns, 'iptables', 'legacy', '*filter\nCOMMIT\n', true)).ok);
    return ok ? { ok: true, reason: '' } : { ok: false, reason: 'iptables-legacy-restore fails in a namespace' };
  } catch (e) {
    return { ok: false, reason: `ip netns unavailable: ${String(e)}` };
  }
}

/** Checks once (cached) that root, the four restore tools and network namespaces are usable. */
export function iptablesAvailable(): Promise<IptablesAvailability> {
  availability ??= probe();
  return availability;
}

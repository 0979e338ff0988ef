/**
 * Fixture cases under fixtures/<group>/<case>/: discovery and the expected-file names, shared by
 * the golden test and the meta test.
 */

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInclude } from '../../src/cli/io.js';
import type { ReadFile } from '../../src/index.js';

/** The repository's fixtures/ folder. */
export const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));

/** One golden case. */
export interface FixtureCase {
  /** `forward/basic-tcp` */
  readonly name: string;
  readonly dir: string;
}

/** Every case: a folder two levels below fixtures/ (group/case). */
export function fixtureCases(): FixtureCase[] {
  const out: FixtureCase[] = [];
  for (const group of readdirSync(fixturesDir).sort()) {
    const groupDir = join(fixturesDir, group);
    if (!statSync(groupDir).isDirectory()) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, name);
      if (statSync(dir).isDirectory()) out.push({ name: relative(fixturesDir, dir), dir });
    }
  }
  return out;
}

/** The file name diagnostics use in goldens (never an absolute path). */
export const inputName = 'input.pf';

/** Reads a case's included files (names relative to the case folder), as the CLI would. */
export function caseReader(dir: string): ReadFile {
  return (name) => readInclude(join(dir, name));
}

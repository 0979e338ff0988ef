/**
 * Every golden output of the pf, pf-legacy and ipfw targets under fixtures/ must pass the
 * recogniser of its dialect (written from the published grammars, see pf-grammar.ts and
 * ipfw-grammar.ts); ipfw scripts must also stage every rule and swap it in.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recogniseIpfw } from './ipfw-grammar.js';
import { recognisePf } from './pf-grammar.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const files = walk(root).sort();
const check: Record<string, (text: string) => unknown[]> = {
  'pf.conf': (t) => recognisePf(t, 'pf'),
  'pf-legacy.conf': (t) => recognisePf(t, 'pf-legacy'),
  'ipfw.sh': (t) => recogniseIpfw(t, { staged: true }),
};

describe('golden outputs pass the recogniser', () => {
  for (const [name, recognise] of Object.entries(check)) {
    const goldens = files.filter((f) => f.endsWith(`/${name}`));
    it(`finds ${name} goldens, including the six canonical cases`, () => {
      expect(goldens.filter((f) => f.includes('/bsd/')).length).toBeGreaterThanOrEqual(name === 'ipfw.sh' ? 5 : 6);
    });
    for (const file of goldens) {
      it(relative(root, file), () => {
        expect(recognise(readFileSync(file, 'utf8'))).toEqual([]);
      });
    }
  }
  it('no expected pf output is named *.pf', () => {
    expect(files.filter((f) => f.endsWith('.pf') && !f.endsWith('/input.pf') && !f.includes('/includes/'))).toEqual([]);
  });
});

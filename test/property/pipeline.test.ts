/**
 * Property tests (fast-check, short run): random and mutated input never throws and ends in
 * output or diagnostics with spans inside the file; valid generated files compile for every
 * target; comments, however hostile, never change a rule. `npm run fuzz` runs the long version.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { fixtureCases } from '../support/fixtures.js';
import { mutated, validFile } from './arbitraries.js';
import { assertInvariants, skeleton, targetIds } from './invariants.js';

const fixtures = fixtureCases().map((c) => readFileSync(join(c.dir, 'input.pf'), 'utf8'));
const runs = Number(process.env.PFC_PROPERTY_RUNS ?? 60);

describe('any input', () => {
  it('random text ends in output or diagnostics', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => void assertInvariants(s, 'fuzz.pf', ['nftables'])),
      { numRuns: runs * 2 },
    );
  });
  it('random bytes decoded as UTF-8 end in output or diagnostics', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void assertInvariants(Buffer.from(b).toString('utf8'), 'fuzz.pf', ['iptables'])),
      { numRuns: runs },
    );
  });
  it('mutated fixtures end in output or diagnostics for every target', () => {
    fc.assert(
      fc.property(mutated(fc.constantFrom(...fixtures)), (s) => void assertInvariants(s)),
      { numRuns: runs },
    );
  });
  it('mutated valid files end in output or diagnostics for every target', () => {
    fc.assert(
      fc.property(mutated(validFile({ portable: false })), (s) => void assertInvariants(s)),
      { numRuns: runs },
    );
  });
});

describe('valid generated files', () => {
  it('portable files compile for every target without errors', () => {
    fc.assert(
      fc.property(validFile({ portable: true }), (s) => {
        const outputs = assertInvariants(s);
        for (const t of targetIds) expect(outputs.get(t), t).not.toBeNull();
      }),
      { numRuns: runs },
    );
  });
  it('any valid file compiles, or a target names what it cannot express (E1xx)', () => {
    fc.assert(
      fc.property(validFile({ portable: false }), (s) => {
        for (const t of targetIds) {
          const r = compile(s, 'gen.pf', t);
          const errors = r.diagnostics.filter((d) => d.severity === 'error');
          expect(
            errors.every((d) => /^E1\d\d$/.test(d.code) && d.target !== undefined),
            `${t}: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`,
          ).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });
  it('comment text never changes a rule, in any target', () => {
    fc.assert(
      fc.property(validFile({ portable: false }), (s) => {
        const plain = s.replace(/comment "(?:[^"\\]|\\.)*"/g, 'comment "x"');
        for (const t of targetIds) {
          const a = compile(s, 'gen.pf', t).output;
          const b = compile(plain, 'gen.pf', t).output;
          expect(a === null, t).toBe(b === null);
          if (a !== null && b !== null) expect(skeleton(a), t).toBe(skeleton(b));
        }
      }),
      { numRuns: runs },
    );
  });
});

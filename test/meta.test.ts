/**
 * Meta test: the fixture tree and the registry stay complete. Every case has an `input.pf`
 * starting with "# Ensures"; an invalid case has only diagnostics.txt; a valid case has, for
 * every registered target, exactly one of its output file or `<target>.err`; besides these, only
 * the files input.pf includes (and the folders they are in); nothing else.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../src/backends/index.js';
import { templatesDir } from '../src/backends/precompiled.js';
import { check } from '../src/index.js';
import { caseReader, fixtureCases, inputName } from './support/fixtures.js';

describe('fixtures', () => {
  const cases = fixtureCases();
  it('there are cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  for (const c of cases) {
    it(c.name, () => {
      const files = readdirSync(c.dir).sort();
      expect(files).toContain(inputName);
      const source = readFileSync(join(c.dir, inputName), 'utf8');
      expect(source.split('\n')[0]).toMatch(/^# Ensures /);
      const checked = check(source, inputName, { readFile: caseReader(c.dir) });
      const expected = new Set([inputName]);
      for (const name of checked.sources.keys()) expected.add(name.split('/')[0]!);
      if (checked.diagnostics.length > 0) expected.add('diagnostics.txt');
      if (checked.ir) {
        for (const b of backends) {
          const out = existsSync(join(c.dir, b.outputName));
          const err = existsSync(join(c.dir, `${b.id}.err`));
          expect(out !== err, `${c.name}: exactly one of ${b.outputName} or ${b.id}.err`).toBe(true);
          expected.add(out ? b.outputName : `${b.id}.err`);
          if (existsSync(join(c.dir, `${b.id}.warn`))) expected.add(`${b.id}.warn`);
        }
      }
      expect(files).toEqual([...expected].sort());
    });
  }
});

describe('registry', () => {
  it('every backend has its template and every template a backend', () => {
    const templates = readdirSync(templatesDir)
      .filter((f) => f.endsWith('.hbs') && !f.startsWith('_'))
      .sort();
    expect([...new Set(backends.map((b) => b.template))].sort()).toEqual(templates);
  });
  it('ids and aliases are unique and lower case', () => {
    const names = backends.flatMap((b) => [b.id, ...b.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});

/**
 * Golden tests: every fixture case compiled with the public API for every registered target and
 * compared byte for byte with its expected file (`npm run test:update` rewrites them; review the
 * diff like code). Invalid cases compare the exact diagnostics text. A case may have more files
 * than input.pf: the files it includes, read relative to the case folder.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../src/backends/index.js';
import { check, compile, renderDiagnostics } from '../src/index.js';
import { caseReader, fixtureCases, inputName } from './support/fixtures.js';

for (const c of fixtureCases()) {
  describe(c.name, () => {
    const source = readFileSync(join(c.dir, inputName), 'utf8');
    const readFile = caseReader(c.dir);
    const checked = check(source, inputName, { readFile });
    const sources = checked.sources;

    it('diagnostics', async () => {
      const text = renderDiagnostics(checked.diagnostics, sources);
      if (checked.diagnostics.length > 0) await expect(text).toMatchFileSnapshot(join(c.dir, 'diagnostics.txt'));
    });

    if (!checked.ir) return;
    for (const backend of backends) {
      it(backend.id, async () => {
        const result = compile(source, inputName, backend.id, { readFile });
        const own = result.diagnostics.filter((d) => d.target === backend.id);
        if (result.output === null) {
          await expect(renderDiagnostics(own, sources)).toMatchFileSnapshot(join(c.dir, `${backend.id}.err`));
        } else {
          const warnings = own.length > 0 ? `${renderDiagnostics(own, sources)}` : '';
          await expect(result.output).toMatchFileSnapshot(join(c.dir, backend.outputName));
          if (warnings) await expect(warnings).toMatchFileSnapshot(join(c.dir, `${backend.id}.warn`));
        }
      });
    }
  });
}

/**
 * What the shipped bundle (dist/cli/pfc.js, made by scripts/bundle.mjs) must and must not hold:
 * every template precompiled, so that it renders every target with no templates/ folder and no
 * node_modules beside it, and only handlebars' runtime, not its compiler (which start-up would
 * otherwise parse on every run). Timing is measured by the benchmark, not asserted here.
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/index.js';
import { fixtureCases, inputName } from '../support/fixtures.js';

const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pfc-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundle and package.json (for --version) alone in a folder: no templates/, no node_modules. */
function lonelyCopy(): string {
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  copyFileSync(main, join(dir, 'dist', 'cli', 'pfc.js'));
  copyFileSync(new URL('../../package.json', import.meta.url), join(dir, 'package.json'));
  return join(dir, 'dist', 'cli', 'pfc.js');
}

describe('the CLI bundle', () => {
  const bundle = readFileSync(main, 'utf8');
  it('holds handlebars without its compiler', () => {
    expect(bundle).toContain('HandlebarsEnvironment');
    // Names from handlebars' compiler (lib/handlebars/compiler) and from source-map, which only it uses.
    for (const name of ['JavaScriptCompiler', 'parseWithoutProcessing', 'SourceMapGenerator']) expect(bundle).not.toContain(name);
  });

  const alone = lonelyCopy();
  for (const backend of backends) {
    // The first fixture case with an expected output for this target.
    const c = fixtureCases().find((f) => existsSync(join(f.dir, backend.outputName)));
    it(`renders ${backend.id} with only itself and package.json in its folder`, () => {
      expect(c, `a fixture with ${backend.outputName}`).toBeDefined();
      const r = spawnSync(process.execPath, [alone, 'compile', inputName, '--target', backend.id], {
        cwd: c!.dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout, c!.name).toBe(readFileSync(join(c!.dir, backend.outputName), 'utf8'));
    });
  }
});

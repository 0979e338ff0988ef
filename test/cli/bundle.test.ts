/**
 * What the shipped bundle (dist/cli/pfc.js and its chunks, made by scripts/bundle.mjs) must and
 * must not hold: every template precompiled, so that it renders every target with no templates/
 * folder and no node_modules beside it; only handlebars' runtime, not its compiler; Chevrotain's
 * lexer, patched at build time, lexing as the unbundled one; and an entry that answers --version
 * and --help without loading the compiler (the commands are a chunk that main.ts imports when
 * one runs). Timing is measured by the benchmark, not asserted here.
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/index.js';
import { fixtureCases, inputName } from '../support/fixtures.js';

const cliDir = new URL('../../dist/cli/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pfc-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files of the bundle: pfc.js and its chunks. */
const bundleFiles = readdirSync(cliDir).filter((f) => /^pfc(-.*)?\.js$/.test(f));
const text = (name: string) => readFileSync(join(cliDir, name), 'utf8');

/** The chunks a bundle file imports statically (`import ... from "./pfc-chunk-X.js"`). */
const staticImports = (name: string) => [...text(name).matchAll(/^import\s[^;]*?from\s*"\.\/(pfc-[^"]+\.js)";/gm)].map((m) => m[1]!);

/** The given bundle files and package.json (for --version) alone in a new folder: no templates/, no node_modules. */
function lonelyCopy(name: string, files: readonly string[]): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  for (const f of files) copyFileSync(join(cliDir, f), join(root, 'dist', 'cli', f));
  copyFileSync(new URL('../../package.json', import.meta.url), join(root, 'package.json'));
  return join(root, 'dist', 'cli', 'pfc.js');
}

describe('the CLI bundle', () => {
  it('holds handlebars without its compiler', () => {
    const all = bundleFiles.map(text).join('\n');
    expect(all).toContain('HandlebarsEnvironment');
    // Names from handlebars' compiler (lib/handlebars/compiler) and from source-map, which only it uses.
    for (const name of ['JavaScriptCompiler', 'parseWithoutProcessing', 'SourceMapGenerator']) expect(all).not.toContain(name);
  });

  const alone = lonelyCopy('whole', bundleFiles);
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

  it('lexes characters above U+00FF as the unbundled CLI does (the bundle patches how Chevrotain indexes them)', () => {
    const source = [
      '\uFEFFinterface wan = eth0 # \u00e9\u00ff\u0100 \u{1F600} \uFEFF \uFFFF',
      'forward tcp wan:80 -> 192.168.1.2 comment "caf\u00e9 \u{1F600}"',
      '\u00ff \u0100 \u0430 \u2028 \u3000 \uFE10\uFEFF \uFEFF\uFEFF \uFF1A \uFFFF \u{1F600} \uD800',
      'forward tcp wan:81\uFEFF-> 192.168.1.3',
      '',
    ].join('\n');
    const file = join(dir, 'unicode.pf');
    writeFileSync(file, source);
    const run = (cli: string) => spawnSync(process.execPath, [cli, 'check', '--format', 'json', file], { encoding: 'utf8' });
    const bundled = run(join(cliDir, 'pfc.js'));
    const unbundled = run(join(cliDir, 'main.js'));
    expect(unbundled.stdout).toContain('E001');
    expect({ status: bundled.status, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({
      status: unbundled.status,
      stdout: unbundled.stdout,
      stderr: unbundled.stderr,
    });
  });

  it('answers --version and --help from the entry and what it imports statically, without the compiler', () => {
    const entry = ['pfc.js', ...staticImports('pfc.js')];
    expect(entry.length).toBeLessThan(bundleFiles.length);
    const loaded = entry.map(text).join('\n');
    // Chevrotain, pfc's parser, handlebars and the templates stay in the commands' chunk.
    const all = bundleFiles.map(text).join('\n');
    for (const name of ['performSelfAnalysis', 'PfcParser', 'HandlebarsEnvironment', 'nftables.nft.hbs']) {
      expect(all).toContain(name);
      expect(loaded).not.toContain(name);
    }
    const cli = lonelyCopy('entry', entry);
    const version = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}\n`);
    const help = spawnSync(process.execPath, [cli, 'compile', '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('--target');
  });
});

/**
 * The command line as a user runs it (the built dist/cli/pfc.js, `npm test` builds first):
 * exit statuses, stdout/stderr split, atomic -o, stdin, JSON diagnostics, no stack traces.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureCases, inputName } from '../support/fixtures.js';

const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pfc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pfc(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [main, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const good = file('good.pf', 'interface wan = eth0\nforward tcp wan:80 -> 192.168.1.2\n');
const bad = file('bad.pf', 'interface wan = eth0\nforward tcp wan:80 -> nope\nforward tcp wan:0 -> 192.168.1.3\n');

describe('pfc compile', () => {
  it('prints the rule set on stdout and exits 0', () => {
    const r = pfc(['compile', good, '--target', 'nftables']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('table inet pfc');
    expect(r.stderr).toBe('');
  });
  it('accepts the alias and --table', () => {
    const r = pfc(['compile', good, '-t', 'nft', '--table', 'edge']);
    expect(r.stdout).toContain('table inet edge');
  });
  it('reads stdin for -', () => {
    const r = pfc(['compile', '-', '-t', 'nft'], readFileSync(good, 'utf8'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('from stdin');
  });
  it('reports every error on stderr, exits 1, writes no output file', () => {
    const out = join(dir, 'out.nft');
    const r = pfc(['compile', bad, '-t', 'nft', '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error E002');
    expect(r.stderr).toContain('error E010');
    expect(r.stderr).toContain('2 errors');
    expect(existsSync(out)).toBe(false);
  });
  it('writes -o atomically and keeps the old file on a failed compile', () => {
    const out = join(dir, 'keep.nft');
    expect(pfc(['compile', good, '-t', 'nft', '-o', out]).status).toBe(0);
    const before = readFileSync(out, 'utf8');
    expect(pfc(['compile', bad, '-t', 'nft', '-o', out]).status).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });
  it('gives one-line usage errors with exit 2', () => {
    for (const args of [
      ['compile', good, '-t', 'nosuch'],
      ['compile', good],
      ['compile', join(dir, 'missing.pf'), '-t', 'nft'],
      ['compile', dir, '-t', 'nft'],
      ['compile', good, '-t', 'nft', '-o', join(dir, 'no', 'such', 'dir', 'x.nft')],
      ['compile', good, '-t', 'nft', '--table', 'bad name;'],
      ['--bogus'],
      ['check', good, '--format', 'xml'],
    ]) {
      const r = pfc(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^pfc: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
  it('reports an unwritable output as a usage error', () => {
    if (process.getuid?.() === 0) return; // root can write anywhere; covered by the missing-directory case
    const ro = join(dir, 'ro');
    execFileSync('mkdir', [ro]);
    chmodSync(ro, 0o500);
    expect(pfc(['compile', good, '-t', 'nft', '-o', join(ro, 'x')]).status).toBe(2);
  });
});

describe('pfc check', () => {
  it('exits 0 for a good file, 1 for a bad one', () => {
    expect(pfc(['check', good]).status).toBe(0);
    expect(pfc(['check', good, bad]).status).toBe(1);
  });
  it('prints JSON diagnostics on stdout', () => {
    const r = pfc(['check', bad, '--format', 'json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.summary).toEqual({ errors: 2, warnings: 0 });
    expect(doc.diagnostics[0]).toMatchObject({ code: 'E002', severity: 'error', line: 2, column: 23, endLine: 2, endColumn: 27 });
  });
  it('turns binary input into diagnostics, not a crash', () => {
    const bin = join(dir, 'bin.pf');
    writeFileSync(bin, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 10]));
    const r = pfc(['check', bin]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error E001');
    expect(r.stderr).not.toContain('\u001b');
  });
});

describe('pfc targets, --help, --version', () => {
  it('lists targets', () => {
    const r = pfc(['targets']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^nftables\s/m);
  });
  it('has help on every command and a version', () => {
    for (const args of [['--help'], ['compile', '--help'], ['check', '--help'], ['targets', '--help']]) expect(pfc(args).status).toBe(0);
    expect(pfc(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the shipped CLI renders with its precompiled templates', () => {
  // scripts/bundle.mjs precompiles the templates into the bundle; the golden test renders through
  // the library, which compiles them at run time. The three largest goldens of each target,
  // compiled by the bundle, prove both paths give the same bytes.
  const goldens: Record<string, string> = {
    nftables: 'nftables.nft',
    iptables: 'iptables.rules',
    ip6tables: 'ip6tables.rules',
    pf: 'pf.conf',
    'pf-legacy': 'pf-legacy.conf',
    ipfw: 'ipfw.sh',
  };
  for (const [target, golden] of Object.entries(goldens)) {
    const largest = fixtureCases()
      .filter((c) => existsSync(join(c.dir, golden)))
      .map((c) => ({ c, size: statSync(join(c.dir, golden)).size }))
      .sort((a, b) => b.size - a.size || a.c.name.localeCompare(b.c.name))
      .slice(0, 3);
    it(`${target}: ${largest.map(({ c }) => c.name).join(', ')}`, () => {
      expect(largest.length).toBeGreaterThan(0);
      for (const { c } of largest) {
        const r = spawnSync(process.execPath, [main, 'compile', inputName, '--target', target], {
          cwd: c.dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        expect(r.status, `${c.name}: ${r.stderr}`).toBe(0);
        expect(r.stdout, c.name).toBe(readFileSync(join(c.dir, golden), 'utf8'));
      }
    });
  }
});

/**
 * Includes from the command line: files read relative to the including file, diagnostics naming
 * the included file, several files checked each, and a given file that another includes checked once.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pfc-inc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pfc(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const file = (name: string, text: string) => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
};

file('rules/main.pf', 'interface wan = eth0\ninclude "svc/web.pf"\n');
file('rules/svc/web.pf', 'forward tcp wan:80 -> 192.168.1.2\nforward tcp wan:81 -> nas\n');
file('rules/good.pf', 'interface wan = eth0\ninclude "svc/ok.pf"\n');
file('rules/svc/ok.pf', 'forward tcp wan:80 -> 192.168.1.2\n');

describe('include on the command line', () => {
  it('names the included file in diagnostics, relative to the including file', () => {
    const r = pfc(['check', 'rules/main.pf']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('rules/svc/web.pf:2:23: error E002');
  });
  it('compiles with trace tags relative to the main file', () => {
    const r = pfc(['compile', join(dir, 'rules/good.pf'), '-t', 'nft']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('"svc/ok.pf:1"');
    expect(r.stdout).not.toContain(dir);
  });
  it('checks several files, each as its own rule set, and an included one only as part of its includer', () => {
    const r = pfc(['check', 'rules/good.pf', 'rules/svc/ok.pf', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).diagnostics).toEqual([]);
    const both = pfc(['check', 'rules/good.pf', 'rules/main.pf']);
    expect(both.status).toBe(1);
    expect(both.stderr.match(/error E002/g)).toHaveLength(1);
  });
});

/**
 * The CI commands as a pipeline runs them (the built dist/cli/pfc.js): check's machine formats,
 * compile --check, diff, explain and fmt, with their exit statuses (0 same/ok, 1 differs/errors,
 * 2 usage).
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pfc-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pfc(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const file = (name: string, text: string): string => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
  return name;
};

const bad = file('bad.pf', 'interface wan = eth0\nforward tcp wan:80 -> nas\n');
const good = file('good.pf', 'interface wan = eth0\nforward tcp wan:80 -> 192.168.1.2\n');

describe('pfc check --format', () => {
  it('sarif: a SARIF 2.1.0 log on stdout, exit 1 on errors', () => {
    const r = pfc(['check', bad, '--format', 'sarif']);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results[0]).toMatchObject({
      ruleId: 'E002',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.pf' }, region: { startLine: 2, startColumn: 23 } } }],
    });
    expect(r.stderr).toBe('');
  });
  it('github: workflow commands on stdout, exit 0 without errors', () => {
    expect(pfc(['check', bad, '--format', 'github']).stdout).toBe(
      "::error file=bad.pf,line=2,col=23,endLine=2,endColumn=26,title=E002::E002: Unknown name 'nas'.\n",
    );
    const ok = pfc(['check', good, '--format', 'github']);
    expect([ok.status, ok.stdout]).toEqual([0, '']);
  });
  it('rejects an unknown format with exit 2', () => {
    expect(pfc(['check', good, '--format', 'xml']).status).toBe(2);
  });
});

describe('pfc compile --check', () => {
  it('exits 0 when OUT is current, 1 with a unified diff when stale or missing, and writes nothing', () => {
    const rules = file('stale/r.pf', 'interface wan = eth0\nforward tcp wan:80 -> 192.168.1.2\n');
    const missing = pfc(['compile', rules, '-t', 'nft', '-o', 'stale/r.nft', '--check']);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/^--- \/dev\/null\n\+\+\+ stale\/r\.nft\n@@ -0,0 \+1,/);
    expect(missing.stderr).toContain("'stale/r.nft' is missing");
    expect(pfc(['compile', rules, '-t', 'nft', '-o', 'stale/r.nft']).status).toBe(0);
    const same = pfc(['compile', rules, '-t', 'nft', '-o', 'stale/r.nft', '--check']);
    expect([same.status, same.stdout, same.stderr]).toEqual([0, '', '']);
    file('stale/r.pf', 'interface wan = eth0\nforward tcp wan:81 -> 192.168.1.2\n');
    const stale = pfc(['compile', rules, '-t', 'nft', '-o', 'stale/r.nft', '--check']);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('-\t\t\t80 comment "r.pf:2" : 192.168.1.2,\n+\t\t\t81 comment "r.pf:2" : 192.168.1.2,\n');
    expect(pfc(['compile', rules, '-t', 'nft', '-o', 'stale/r.nft', '--check']).status).toBe(1);
  });
  it('exits 1 on errors in FILE and 2 without -o', () => {
    expect(pfc(['compile', bad, '-t', 'nft', '-o', 'x.nft', '--check']).status).toBe(1);
    expect(pfc(['compile', good, '-t', 'nft', '--check']).status).toBe(2);
  });
});

describe('pfc diff', () => {
  const before = file('hist/v1.pf', 'interface wan = eth0\nforward tcp wan:80 -> 192.168.1.2\nforward tcp wan:22 -> 192.168.1.3\n');
  const split = file('hist/v2/main.pf', 'interface wan = eth0\ninclude "web.pf"\nforward tcp wan:22 -> 192.168.1.3\n');
  file('hist/v2/web.pf', 'forward tcp wan:80 -> 192.168.1.2\n');
  const retarget = file('hist/v3.pf', 'interface wan = eth0\nforward tcp wan:80 -> 192.168.1.9\n');

  it('exits 0 with "No change in meaning." for a split into includes', () => {
    const r = pfc(['diff', before, split]);
    expect([r.status, r.stdout]).toEqual([0, 'No change in meaning.\n']);
  });
  it('exits 1 with the summary and, with --target, the unified diff of the rule sets', () => {
    const r = pfc(['diff', before, retarget, '--target', 'nftables']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('forwards: 0 added, 1 removed, 1 changed\n');
    expect(r.stdout).toContain('  - forward tcp wan:22 -> 192.168.1.3    (hist/v1.pf:3)\n');
    expect(r.stdout).toContain('  ~ forward tcp wan:80 -> 192.168.1.9    (hist/v1.pf:2 -> hist/v3.pf:2)\n      target: 192.168.1.2 -> 192.168.1.9\n');
    expect(r.stdout).toContain('\n--- hist/v1.pf (nftables)\n+++ hist/v3.pf (nftables)\n@@ ');
  });
  it('shows that only trace tags moved when the rule sets mean the same', () => {
    const r = pfc(['diff', before, split, '-t', 'nft']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^No change in meaning\.\n\n--- /);
    expect(r.stdout).toContain('+\t\t\t80 comment "web.pf:1" : 192.168.1.2,');
  });
  it('prints JSON for machines', () => {
    const r = pfc(['diff', before, retarget, '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      version: 1,
      equal: false,
      rules: [
        { change: 'removed', old: { file: 'hist/v1.pf', line: 3 } },
        { change: 'changed', new: { file: 'hist/v3.pf', line: 2 } },
      ],
    });
    expect(JSON.parse(pfc(['diff', before, split, '--format', 'json']).stdout).equal).toBe(true);
  });
  it('exits 1 with diagnostics when a side has errors, 2 on bad usage', () => {
    expect(pfc(['diff', before, bad]).status).toBe(1);
    expect(pfc(['diff', before, 'nope.pf']).status).toBe(2);
    expect(pfc(['diff', before, split, '-t', 'nope']).status).toBe(2);
  });
});

describe('pfc explain', () => {
  const rules = file('explain.pf', 'interface wan = eth0\ninterface lan = br-lan subnet 192.168.1.0/24\nforward tcp wan:8080 -> 192.168.1.20:80 reflect\n');
  it('names the rule, the destination and the source, exit 0', () => {
    const r = pfc(['explain', rules, '--packet', 'tcp 203.0.113.9 -> wan:8080']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "packet:  tcp 203.0.113.9 -> wan:8080 (arrives on 'wan')\nrule:    forward at explain.pf:3: forward tcp wan:8080 -> 192.168.1.20:80 reflect\nresult:  forwarded to 192.168.1.20:80\nsource:  kept: the target sees 203.0.113.9\n",
    );
    const json = JSON.parse(pfc(['explain', rules, '-p', 'tcp 192.168.1.5 -> wan:8080', '--format', 'json']).stdout);
    expect(json).toMatchObject({
      version: 1,
      verdict: 'forward',
      rule: { file: 'explain.pf', line: 3 },
      to: { host: '192.168.1.20', port: 80 },
      sourceRewritten: true,
      reflected: true,
    });
  });
  it('exits 1 when nothing matches, 2 for a bad packet or an unknown interface', () => {
    const none = pfc(['explain', rules, '--packet', 'udp 203.0.113.9 -> wan:8080']);
    expect(none.status).toBe(1);
    expect(none.stdout).toContain('no rule matches');
    expect(pfc(['explain', rules, '--packet', 'tcp 203.0.113.9 -> wan']).status).toBe(2);
    expect(pfc(['explain', rules, '--packet', 'tcp 203.0.113.9 -> dmz:80']).status).toBe(2);
  });
});

describe('pfc fmt', () => {
  it('prints, checks (exit 1 and a diff) and rewrites; formatted files pass --check', () => {
    const messy = file('fmt/messy.pf', 'interface wan=eth0\nforward tcp wan:80->192.168.1.2 # web\n');
    expect(pfc(['fmt', messy]).stdout).toBe('interface wan = eth0\nforward tcp wan:80 -> 192.168.1.2  # web\n');
    const checked = pfc(['fmt', '--check', messy]);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('--- fmt/messy.pf\n+++ fmt/messy.pf\n');
    expect(checked.stderr).toContain("'fmt/messy.pf' is not formatted");
    expect(pfc(['fmt', '--write', messy]).status).toBe(0);
    const again = pfc(['fmt', '--check', messy]);
    expect([again.status, again.stdout]).toEqual([0, '']);
  });
  it('leaves files with syntax errors alone (exit 1) and rejects --check with --write (exit 2)', () => {
    const broken = file('fmt/broken.pf', 'forward tcp wan:80 192.168.1.2\n');
    const r = pfc(['fmt', '--write', broken]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error E001');
    expect(pfc(['fmt', '--check', '--write', broken]).status).toBe(2);
  });
});

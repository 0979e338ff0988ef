/**
 * A CI job over a real repository history of rule files: forwards added, retargeted, removed,
 * then split into includes, and a commit whose generated file is stale. At each commit the job
 * runs check, compile --check, diff against the previous commit (checked out with git worktree,
 * as docs/ci.md does) and explain, and the exit statuses and summaries must be what a reviewer expects.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
const repo = mkdtempSync(join(tmpdir(), 'pfc-history-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = repo) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.org',
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const pfc = (...args: string[]) => run(process.execPath, [main, ...args]);
const git = (...args: string[]) => run('git', args);
function write(files: Record<string, string | null>): void {
  for (const [name, text] of Object.entries(files)) {
    if (text === null) rmSync(join(repo, name), { force: true });
    else {
      mkdirSync(join(repo, name, '..'), { recursive: true });
      writeFileSync(join(repo, name), text);
    }
  }
}
/** Commits the rules, regenerating the compiled file unless `stale`. */
function commit(message: string, files: Record<string, string | null>, stale = false): void {
  write(files);
  if (!stale) expect(pfc('compile', 'rules/router.pf', '-t', 'nftables', '-o', 'generated/router.nft').status).toBe(0);
  git('add', '-A');
  expect(git('commit', '-q', '-m', message).status).toBe(0);
}
/** The diff step of docs/ci.md against the previous commit. */
function diffWithPrevious() {
  const base = join(repo, '..', `${repo.split('/').pop()}-base`);
  rmSync(base, { recursive: true, force: true });
  git('worktree', 'prune');
  expect(git('worktree', 'add', '--detach', base, 'HEAD~1').status).toBe(0);
  try {
    return pfc('diff', join(base, 'rules/router.pf'), 'rules/router.pf', '--target', 'nftables');
  } finally {
    git('worktree', 'remove', '--force', base);
  }
}

const HEAD = 'interface wan = eth0\ninterface lan = br-lan subnet 192.168.1.0/24\naddress nas = 192.168.1.20\n';

describe('a CI job over a history of rule files', () => {
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'generated'));

  it('1: the first rule set checks, and its generated file is current', () => {
    commit('first', { 'rules/router.pf': `${HEAD}forward tcp wan:80 -> nas:8080\nforward udp wan:27015-27030 -> 192.168.1.40\n` });
    expect(pfc('check', 'rules/router.pf', '--format', 'github')).toMatchObject({ status: 0, stdout: '' });
    expect(pfc('compile', 'rules/router.pf', '-t', 'nftables', '-o', 'generated/router.nft', '--check').status).toBe(0);
    expect(pfc('explain', 'rules/router.pf', '--packet', 'udp 203.0.113.9 -> wan:27020').stdout).toContain('forwarded to 192.168.1.40:27020');
  });

  it('2: a forward added', () => {
    commit('add https', {
      'rules/router.pf': `${HEAD}forward tcp wan:80 -> nas:8080\nforward udp wan:27015-27030 -> 192.168.1.40\nforward tcp wan:443 -> nas reflect\n`,
    });
    const d = diffWithPrevious();
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(
      /^forwards: 1 added, 0 removed, 0 changed\n {2}\+ forward tcp wan:443 -> 192\.168\.1\.20 reflect {4}\(rules\/router\.pf:6\)\n\n--- /,
    );
    expect(pfc('explain', 'rules/router.pf', '--packet', 'tcp 192.168.1.9 -> wan:443').stdout).toContain(
      "rewritten to the router's address on 'lan' (reflection)",
    );
  });

  it('3: a forward retargeted', () => {
    commit('move the web UI', {
      'rules/router.pf': `${HEAD}address nas2 = 192.168.1.21\nforward tcp wan:80 -> nas2:8080\nforward udp wan:27015-27030 -> 192.168.1.40\nforward tcp wan:443 -> nas reflect\n`,
    });
    const d = diffWithPrevious();
    expect(d.stdout).toContain('forwards: 0 added, 0 removed, 1 changed\n  ~ forward tcp wan:80 -> 192.168.1.21:8080    (');
    expect(d.stdout).toContain('      target: 192.168.1.20:8080 -> 192.168.1.21:8080\n');
    expect(d.stdout).toContain('-\t\t\t80 comment "router.pf:4" : 192.168.1.20 . 8080,\n+\t\t\t80 comment "router.pf:5" : 192.168.1.21 . 8080,\n');
  });

  it('4: a forward removed', () => {
    commit('no more games', { 'rules/router.pf': `${HEAD}address nas2 = 192.168.1.21\nforward tcp wan:80 -> nas2:8080\nforward tcp wan:443 -> nas reflect\n` });
    const d = diffWithPrevious();
    expect(d.stdout).toMatch(
      /forwards: 0 added, 1 removed, 0 changed\n {2}- forward udp wan:27015-27030 -> 192\.168\.1\.40 {4}\(\/.*-base\/rules\/router\.pf:6\)\n/,
    );
    expect(pfc('explain', 'rules/router.pf', '--packet', 'udp 203.0.113.9 -> wan:27020').status).toBe(1);
  });

  it('5: split into includes: no change in meaning, only trace tags move', () => {
    commit('split', {
      'rules/router.pf': `${HEAD}include "hosts.pf"\ninclude "services/web.pf"\n`,
      'rules/hosts.pf': 'address nas2 = 192.168.1.21\n',
      'rules/services/web.pf': 'forward tcp wan:80  -> nas2:8080\nforward tcp wan:443 -> nas reflect\n',
    });
    expect(pfc('check', 'rules/router.pf', 'rules/hosts.pf', 'rules/services/web.pf').status).toBe(0);
    expect(pfc('compile', 'rules/router.pf', '-t', 'nftables', '-o', 'generated/router.nft', '--check').status).toBe(0);
    expect(readFileSync(join(repo, 'generated/router.nft'), 'utf8')).toContain('comment "services/web.pf:1"');
    const d = diffWithPrevious();
    expect(d.stdout).toMatch(/^No change in meaning\.\n\n--- /);
    const e = pfc('explain', 'rules/router.pf', '--packet', 'tcp 203.0.113.9 -> wan:80', '--format', 'json');
    expect(JSON.parse(e.stdout)).toMatchObject({
      verdict: 'forward',
      rule: { file: 'rules/services/web.pf', line: 1 },
      to: { host: '192.168.1.21', port: 8080 },
    });
  });

  it('6: a rule changed in an included file without regenerating: compile --check fails with a diff', () => {
    commit('forgot to regenerate', { 'rules/services/web.pf': 'forward tcp wan:80  -> nas2:8081\nforward tcp wan:443 -> nas reflect\n' }, true);
    const c = pfc('compile', 'rules/router.pf', '-t', 'nftables', '-o', 'generated/router.nft', '--check');
    expect(c.status).toBe(1);
    expect(c.stdout).toContain('+\t\t\t80 comment "services/web.pf:1" : 192.168.1.21 . 8081,');
    expect(diffWithPrevious().stdout).toContain('  ~ forward tcp wan:80 -> 192.168.1.21:8081    (');
  });

  it('7: an error in an included file fails check with its file and line', () => {
    write({ 'rules/services/web.pf': 'forward tcp wan:80 -> nas3:8081\n' });
    const c = pfc('check', 'rules/router.pf', '--format', 'github');
    expect(c.status).toBe(1);
    expect(c.stdout).toBe(
      "::warning file=rules/hosts.pf,line=1,col=9,endLine=1,endColumn=13,title=W001::W001: Address 'nas2' is declared but never used.\n::warning file=rules/router.pf,line=3,col=9,endLine=3,endColumn=12,title=W001::W001: Address 'nas' is declared but never used.\n::error file=rules/services/web.pf,line=1,col=23,endLine=1,endColumn=27,title=E002::E002: Unknown name 'nas3'.\n",
    );
  });
});

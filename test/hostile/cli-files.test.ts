/**
 * File-system errors and hostile files through the real CLI (dist/, built by `npm test`): one
 * line, exit 2, no stack trace; a full disk keeps the previous output; huge, endless and binary
 * input ends quickly in a diagnostic; an internal error is one line (exit 70), its stack only with --debug.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = new URL('../../dist/cli/pfc.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pfc-hostile-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

/**
 * A copy of the shipped CLI in a world-readable folder, for runs as another user: the checkout
 * itself may sit under a private directory (a fresh clone in a 0700 temp folder, say).
 */
function sharedCopy(): string {
  const root = join(dir, 'shared-cli');
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true, mode: 0o755 });
  // pfc.js and its chunks (scripts/bundle.mjs).
  for (const name of readdirSync(join(main, '..')).filter((f) => /^pfc(-.*)?\.js$/.test(f)))
    copyFileSync(join(main, '..', name), join(root, 'dist', 'cli', name));
  copyFileSync(new URL('../../package.json', import.meta.url), join(root, 'package.json'));
  cpSync(new URL('../../templates', import.meta.url), join(root, 'templates'), { recursive: true });
  for (const d of [root, join(root, 'dist'), join(root, 'dist', 'cli'), join(root, 'templates')]) chmodSync(d, 0o755);
  return join(root, 'dist', 'cli', 'pfc.js');
}

function pfc(args: string[], options: { input?: string; uid?: number; node?: string[] } = {}) {
  const entry = options.uid === undefined ? main : sharedCopy();
  const r = spawnSync(process.execPath, [...(options.node ?? []), entry, ...args], {
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const oneLine = (r: { stderr: string }) => {
  expect(r.stderr).toMatch(/^pfc: [^\n]*\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

const good = file('good.pf', 'interface wan = eth0\nforward tcp wan:80 -> 192.168.1.2\n');
const many = (n: number) =>
  ['interface wan = eth0', ...Array.from({ length: n }, (_, i) => `forward tcp wan:${i + 1000} -> 10.0.${i >> 8}.${i & 255 || 1}`)].join('\n');
const big = file('big.pf', `${many(2000)}\n`);

describe('file-system errors: one line, exit 2', () => {
  it('reports a missing file, a directory and a missing output directory', () => {
    for (const args of [
      ['check', join(dir, 'missing.pf')],
      ['compile', dir, '-t', 'nft'],
      ['compile', good, '-t', 'nft', '-o', join(dir, 'no', 'such', 'x.nft')],
      ['compile', good, '-t', 'nft', '-o', dir],
      ['compile', good, '-t', 'nft', '-o', '/dev/null'],
    ]) {
      const r = pfc(args);
      expect(r.status, args.join(' ')).toBe(2);
      oneLine(r);
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
  it.runIf(isRoot)('reports an unreadable file and an unwritable directory (as nobody)', () => {
    const secret = file('secret.pf', 'interface wan = eth0\n');
    chmodSync(secret, 0o600);
    const ro = join(dir, 'ro');
    mkdirSync(ro, { mode: 0o555 });
    const unreadable = pfc(['check', secret], { uid: 65534 });
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toContain('permission denied');
    oneLine(unreadable);
    const unwritable = pfc(['compile', good, '-t', 'nft', '-o', join(ro, 'x.nft')], { uid: 65534 });
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toContain('permission denied');
    oneLine(unwritable);
  });
  it.runIf(isRoot)('keeps the previous output on a full disk (a 64 KiB tmpfs in a private mount namespace)', () => {
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    const script = [
      'mount -t tmpfs -o size=64k pfc-test "$1" || exit 99',
      'node "$2" compile "$3" -t nft -o "$1/out.nft"; echo "small=$?"',
      'cp "$1/out.nft" "$5/before.nft"',
      'node "$2" compile "$4" -t nft -o "$1/out.nft" 2>"$5/err.txt"; echo "big=$?"',
      'cmp -s "$1/out.nft" "$5/before.nft" && echo intact',
      'ls -A "$1"',
    ].join('\n');
    const out = execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', mnt, main, good, big, dir], { encoding: 'utf8' });
    expect(out).toContain('small=0');
    expect(out).toContain('big=2');
    expect(out).toContain('intact');
    const lines = out.trim().split('\n');
    expect(lines.slice(lines.indexOf('intact') + 1)).toEqual(['out.nft']); // no temporary file or directory left behind
    const err = readFileSync(join(dir, 'err.txt'), 'utf8');
    expect(err).toMatch(/^pfc: cannot write '.*out\.nft': no space left on the device\n$/);
  });
  it('follows a symlinked output instead of replacing the link', () => {
    const real = file('real.nft', 'old\n');
    const link = join(dir, 'link.nft');
    execFileSync('ln', ['-s', real, link]);
    expect(pfc(['compile', good, '-t', 'nft', '-o', link]).status).toBe(0);
    expect(readFileSync(real, 'utf8')).toContain('table inet pfc');
    expect(execFileSync('readlink', [link], { encoding: 'utf8' }).trim()).toBe(real);
  });
});

describe('hostile input through the CLI', () => {
  it('ends a 50 MB file quickly in E050, in bounded time and output', () => {
    const huge = join(dir, 'huge.pf');
    writeFileSync(huge, `${'forward tcp wan:80 -> 192.168.1.2 # padding padding padding\n'.repeat((50 * 1024 * 1024) / 60)}`);
    const started = Date.now();
    const r = pfc(['check', huge]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error E050/);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  it('reads at most the limit from an endless device', () => {
    const r = pfc(['check', '/dev/zero']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error E05[06]/);
  });
  it('ends a binary file in one E056 diagnostic, with no escape sequence on the terminal', () => {
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 255;
    const r = pfc(['check', file('binary.pf', bytes)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error E0(01|56)/);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
  it('stops quietly when the reader of stdout goes away', () => {
    const r = spawnSync('sh', ['-c', `node "${main}" compile "${big}" -t nft | head -c 10 >/dev/null; echo "status=\${PIPESTATUS:-done}"`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
  });
});

describe('internal errors', () => {
  // A preloaded module breaks a built-in the renderer calls on every output (its blank-line
  // check, src/backends/render.ts), standing in for a bug in pfc. (Templates are precompiled
  // into the CLI bundle, so breaking the template reader no longer reaches it.)
  const breakTemplates = [
    'const includes = String.prototype.includes;',
    "String.prototype.includes = function (s, ...a) { if (s === '\\n\\n\\n') throw new Error('renderer is broken'); return includes.call(this, s, ...a); };",
  ].join('\n');
  const node = ['--import', `data:text/javascript,${encodeURIComponent(breakTemplates)}`];
  it('prints one line and exits 70', () => {
    const r = pfc(['compile', good, '-t', 'nft'], { node });
    expect(r.status).toBe(70);
    expect(r.stderr).toBe('pfc: internal error: renderer is broken (run with --debug for details)\n');
  });
  it('shows the stack with --debug', () => {
    const r = pfc(['--debug', 'compile', good, '-t', 'nft'], { node });
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

it('leaves no temporary files next to outputs', () => {
  // writeAtomic's temporary directories are hidden: .NAME.XXXXXX
  expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  expect(existsSync(join(dir, 'x.nft'))).toBe(false);
});

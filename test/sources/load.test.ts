/**
 * Includes through the public API: files read through the injected reader (once each), cycles
 * (E006), unreadable files (E007), diagnostics and origins in the right file, and the source set
 * that maps spans of several files into one offset space.
 */

import { describe, expect, it } from 'vitest';
import { check, compile } from '../../src/index.js';
import { includedName, SourceSet } from '../../src/sources/source-set.js';

/** A reader over an in-memory tree that counts reads. */
function tree(files: Record<string, string>) {
  const reads: string[] = [];
  const readFile = (name: string): string => {
    reads.push(name);
    const text = files[name];
    if (text === undefined) throw new Error('no such file or directory');
    return text;
  };
  return { reads, readFile };
}

describe('include', () => {
  it('makes declarations visible after the include and reads a file included twice once', () => {
    const fs = tree({
      'rules/hosts.pf': 'address nas = 192.168.1.20\n',
      'rules/svc/web.pf': 'include "../hosts.pf"\nforward tcp wan:80 -> nas\n',
    });
    const main = 'interface wan = eth0\ninclude "hosts.pf"\ninclude "svc/web.pf"\ninclude "hosts.pf"\n';
    const r = check(main, 'rules/main.pf', fs);
    expect(r.diagnostics).toEqual([]);
    expect(fs.reads).toEqual(['rules/hosts.pf', 'rules/svc/web.pf']);
    expect([...r.sources.keys()]).toEqual(['rules/main.pf', 'rules/hosts.pf', 'rules/svc/web.pf']);
    const f = r.ir!.forwards[0]!;
    expect(f.origin).toMatchObject({ file: 'svc/web.pf', line: 2, tag: 'svc/web.pf:2' });
    expect(r.ir!.source).toBe('main.pf');
  });

  it('puts the trace tag of an included file into the output, never an absolute path', () => {
    const fs = tree({ '/etc/pfc/web.pf': 'forward tcp wan:80 -> 192.168.1.2\n' });
    const out = compile('interface wan = eth0\ninclude "web.pf"\n', '/etc/pfc/main.pf', 'nftables', fs).output!;
    expect(out).toContain('"web.pf:1"');
    expect(out).not.toContain('/etc/pfc');
  });

  it('reports a use before its declaration in another file with a note in that file', () => {
    const fs = tree({ 'a.pf': 'forward tcp wan:80 -> nas\n' });
    const r = check('interface wan = eth0\ninclude "a.pf"\naddress nas = 192.168.1.2\n', 'main.pf', fs);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.span, d.related?.[0]?.file])).toEqual([['E005', 'a.pf', { start: 22, end: 25 }, 'main.pf']]);
  });

  it('reports E006 at the include that closes a cycle, and still checks the rest', () => {
    const fs = tree({ 'a.pf': 'include "main.pf"\nforward tcp wan:80 -> nope\n' });
    const r = check('interface wan = eth0\ninclude "a.pf"\n', 'main.pf', fs);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      ['E006', 'a.pf', "Include cycle: 'main.pf' includes 'a.pf', which includes 'main.pf'."],
      ['E002', 'a.pf', "Unknown name 'nope'."],
    ]);
  });

  it('reports E007 for a missing file, an absolute path, and when no reader was given', () => {
    const r = check('include "x.pf"\ninclude "/abs.pf"\n', 'main.pf', tree({}));
    expect(r.diagnostics.map((d) => [d.code, d.span.start])).toEqual([
      ['E007', 8],
      ['E007', 23],
    ]);
    expect(r.diagnostics[0]!.message).toBe("Cannot read included file 'x.pf': no such file or directory.");
    expect(check('include "x.pf"\n', 'main.pf').diagnostics[0]!.message).toContain('no file reader');
  });

  it('keeps syntax errors in an included file in that file', () => {
    const fs = tree({ 'b.pf': '\nforward tcp wan:80 192.168.1.2\n' });
    const r = check('interface wan = eth0\ninclude "b.pf"\n', 'main.pf', fs);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.span.start])).toEqual([['E001', 'b.pf', 20]]);
  });

  it('places capability diagnostics in the included file', () => {
    const fs = tree({ 'r.pf': 'forward tcp wan:443 -> 192.168.1.2 reflect\n' });
    const r = compile('interface wan = eth0\ninterface lan = eth1\ninclude "r.pf"\n', 'main.pf', 'ipfw', fs);
    expect(r.diagnostics.filter((d) => d.target).map((d) => [d.code, d.file, d.span.start])).toEqual([['E130', 'r.pf', 0]]);
  });

  it('stops a chain of includes that nests too deep', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`f${i}.pf`] = `include "f${i + 1}.pf"\n`;
    const r = check('include "f0.pf"\n', 'main.pf', tree(files));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E007']);
    expect(r.diagnostics[0]!.message).toContain('nest deeper');
  });
});

describe('SourceSet', () => {
  it('maps offsets of the set to files and back', () => {
    const set = new SourceSet('dir/main.pf', 'abc\ndef\n');
    const inc = set.add('dir/sub/x.pf', 'xy\nz');
    expect(inc).toMatchObject({ base: 9, display: 'sub/x.pf' });
    expect(set.main.display).toBe('main.pf');
    expect(set.locate({ start: 12, end: 13 })).toMatchObject({ file: { name: 'dir/sub/x.pf' }, span: { start: 3, end: 4 } });
    expect(set.lineAt(5)).toMatchObject({ line: 2, file: { name: 'dir/main.pf' } });
    expect(set.lineAt(12).line).toBe(2);
    expect(set.add('dir/sub/x.pf', 'other')).toBe(inc);
  });
  it("joins include paths onto the including file's directory", () => {
    expect(includedName('a/b.pf', '../c/d.pf')).toBe('c/d.pf');
    expect(includedName('b.pf', 'x.pf')).toBe('x.pf');
    expect(includedName('<stdin>', 'x.pf')).toBe('x.pf');
    expect(includedName('a/b.pf', '/etc/x.pf')).toBeNull();
  });
});

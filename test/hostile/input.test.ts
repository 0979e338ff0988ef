/**
 * Hostile input, in process: each case ends in a diagnostic with a code and a span inside the
 * file, or is accepted with its documented meaning (docs/language.md, docs/security.md).
 */

import { describe, expect, it } from 'vitest';
import { check, compile } from '../../src/index.js';
import { limits } from '../../src/limits.js';
import { assertInvariants, targetIds } from '../property/invariants.js';

const head = 'interface wan = eth0\n';
const codes = (source: string) => {
  assertInvariants(source, 'h.pf', ['nftables']);
  return check(source, 'h.pf').diagnostics.map((d) => d.code);
};
const first = (source: string) => check(source, 'h.pf').diagnostics.find((d) => d.severity === 'error');

describe('rejected with a code and a span', () => {
  it.each([
    ['NUL in a comment string', `${head}forward tcp wan:80 -> 192.168.1.2 comment "a\u0000b"`, 'E041'],
    ['escape sequence in a comment', `${head}forward tcp wan:80 -> 192.168.1.2 comment "\u001b[31m"`, 'E041'],
    ['non-ASCII comment', `${head}forward tcp wan:80 -> 192.168.1.2 comment "café"`, 'E041'],
    ['quote in a comment', `${head}forward tcp wan:80 -> 192.168.1.2 comment "a\\"b"`, 'E041'],
    ['newline in a string', `${head}forward tcp wan:80 -> 192.168.1.2 comment "a\nb"`, 'E001'],
    ['device with ;', 'interface wan = "eth0;reboot"\nforward tcp wan:80 -> 192.168.1.2', 'E042'],
    ['device with a space', 'interface wan = "eth 0"\nforward tcp wan:80 -> 192.168.1.2', 'E042'],
    ['device with a quote', 'interface wan = "eth\'0"\nforward tcp wan:80 -> 192.168.1.2', 'E042'],
    ['device of 16 characters', 'interface wan = abcdefghijklmnop\nforward tcp wan:80 -> 192.168.1.2', 'E042'],
    ['huge port', `${head}forward tcp wan:99999999999999999999 -> 192.168.1.2`, 'E010'],
    ['huge prefix', `${head}forward tcp wan:80 -> 192.168.1.2 from 10.0.0.0/99999999999999999999`, 'E020'],
    ['leading zero', `${head}forward tcp wan:80 -> 010.0.0.1`, 'E020'],
    ['zone id', `${head}allow tcp wan -> [fe80::1%eth0]:80`, 'E020'],
    ['IPv4-mapped IPv6', `${head}allow tcp wan -> [::ffff:192.0.2.1]:80`, 'E020'],
    ['Cyrillic a in a name', 'interface wаn = eth0', 'E001'],
    ['fullwidth digit', `${head}forward tcp wan:８0 -> 192.168.1.2`, 'E001'],
    ['fullwidth hyphen in a range', `${head}forward tcp wan:80－90 -> 192.168.1.2`, 'E001'],
    ['en dash in a range', `${head}forward tcp wan:80–90 -> 192.168.1.2`, 'E001'],
    ['look-alike in an address', `${head}forward tcp wan:80 -> 192.168.1.２`, 'E001'],
    ['right-to-left override', `${head}forward tcp wan:80 -> 192.168.1.2 \u202e`, 'E001'],
  ])('%s', (_, source, code) => {
    expect(codes(source)).toContain(code);
  });

  it('names the character a look-alike stands for', () => {
    expect(first('interface wаn = eth0')?.message).toBe(
      "Unexpected character U+0430: it looks like 'a', but pfc reads only ASCII outside strings and comments.",
    );
  });
});

describe('accepted with a documented meaning', () => {
  it.each([
    ['CRLF line endings', `${head}forward tcp wan:80 -> 192.168.1.2\r\n`.replace(/\n/g, '\r\n')],
    ['a UTF-8 byte-order mark', `\uFEFF${head}forward tcp wan:80 -> 192.168.1.2\n`],
    ['non-ASCII, NUL and escapes in a # comment', `${head}# caf\u00e9 \u0000 \u001b[2J \u202e\nforward tcp wan:80 -> 192.168.1.2\n`],
    ['comment text that is syntax elsewhere', `${head}forward tcp wan:80 -> 192.168.1.2 comment "; } { # -j ACCEPT $(id) \`id\` ' -- //"\n`],
  ])('%s', (_, source) => {
    for (const target of targetIds) {
      const r = compile(source, 'h.pf', target);
      expect(r.diagnostics.filter((d) => d.severity === 'error' && !d.target)).toEqual([]);
    }
  });
  it('keeps a # comment out of every output', () => {
    const r = compile(`${head}# \u001b[2J pass in all\nforward tcp wan:80 -> 192.168.1.2\n`, 'h.pf', 'pf');
    expect(r.output).not.toContain('pass in all');
  });
});

describe('limits end in their own diagnostics', () => {
  it('a very long set is E053', () => {
    const list = Array.from({ length: limits.listEntries + 1 }, (_, i) => `${1 + (i % 60000)}`).join(',');
    expect(codes(`${head}forward tcp wan:{${list}} -> 192.168.1.2`)).toEqual(['E053']);
  });
  it('names that expand a set past the limit are E053', () => {
    const hosts = Array.from({ length: 300 }, (_, i) => `10.${i >> 8}.${i & 255}.1`).join(', ');
    const refs = Array.from({ length: 300 }, () => 'a').join(', ');
    expect(codes(`address a = { ${hosts} }\naddress b = { ${refs} }\n`)).toContain('E053');
  });
  it('a shifted range times many sources is E055', () => {
    const sources = Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 1}`).join(', ');
    expect(codes(`${head}forward tcp wan:1000-60000 -> 192.168.1.2:1001-60001 from { ${sources} }`)).toContain('E055');
  });
  it('many rules sharing a port stop at the pair budget (E057), quickly', () => {
    const rules = Array.from({ length: 1500 }, (_, i) => `forward tcp wan:80 -> 192.168.1.2 from 10.${i >> 8}.${i & 255}.0/24`).join('\n');
    const started = Date.now();
    expect(codes(`${head}${rules}\n`)).toContain('E057');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  it('a file of unclosed brackets is E056, not quadratic lexing', () => {
    expect(codes('['.repeat(200_000))).toEqual(['E056']);
    expect(codes(`"${'\\"'.repeat(100_000)}`)).toEqual(['E056']);
  });
  it('too many statements is E051, too many tokens E052', () => {
    expect(codes('masquerade '.repeat(limits.statements + 1))).toContain('E051');
    expect(codes('{ '.repeat(limits.tokens + 1))).toContain('E052');
  });
  it('shows at most limits.diagnostics diagnostics, then one E059', () => {
    const d = check('address a = 300.0.0.1\n'.repeat(1200), 'h.pf').diagnostics;
    expect(d).toHaveLength(limits.diagnostics + 1);
    expect(d.at(-1)?.code).toBe('E059');
  });
  it('a file name cannot inject lines into any output', () => {
    for (const target of targetIds) {
      const out = compile(`${head}forward tcp wan:80 -> 192.168.1.2\n`, "x\npass in all\n$(id)'.pf", target).output ?? '';
      expect(
        out.split('\n').some((l) => /^\s*pass in all/.test(l) || l.startsWith('$(id)')),
        target,
      ).toBe(false);
    }
  });
});

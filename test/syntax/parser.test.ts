import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/syntax/lexer.js';
import { PfcParser, parseTokens } from '../../src/syntax/parser.js';

function parse(src: string) {
  const lexed = tokenize(src, 't.pf');
  const parsed = parseTokens(lexed.tokens, 't.pf', src.length, lexed.errorOffsets);
  return { ...parsed, ast: { file: 't.pf', statements: parsed.statements }, astDiagnostics: parsed.ruleDiagnostics };
}

describe('parser', () => {
  it("passes Chevrotain's grammar checks (skipped when pfc runs)", () => {
    // performSelfAnalysis throws on a grammar error.
    expect(() => new PfcParser({ validate: true })).not.toThrow();
  });

  it('builds every statement kind with spans', () => {
    const src = [
      'interface lan = "br-lan" subnet { 192.168.1.0/24, [2001:db8::/64] }',
      'address nas = 192.168.1.20',
      'forward tcp/udp wan:{80, 8000-8010, https} -> nas:8080 from { 203.0.113.0/24 } reflect log comment "x"',
      'redirect tcp 80 -> 8080',
      'redirect udp wan:53 -> 5353',
      'allow tcp wan -> [2001:db8::10]:443',
      'masquerade lan -> wan',
      'include "a.pf"',
    ].join('\n');
    const { ast, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    expect(ast.statements.map((s) => s.kind)).toEqual(['interface', 'address', 'forward', 'redirect', 'redirect', 'allow', 'masquerade', 'include']);
    const fwd = ast.statements[2];
    if (fwd?.kind !== 'forward') throw new Error('expected a forward');
    expect(fwd.protocols.list.map((p) => p.name)).toEqual(['tcp', 'udp']);
    expect(fwd.ports.items.map((i) => i.kind)).toEqual(['port', 'range', 'service']);
    expect(fwd.options.reflect).not.toBeNull();
    expect(fwd.options.comment?.text).toBe('x');
    expect(src.slice(fwd.ports.span.start, fwd.ports.span.end)).toBe('{80, 8000-8010, https}');
    const iface = ast.statements[0];
    if (iface?.kind !== 'interface') throw new Error('expected an interface');
    expect(iface.device.text).toBe('br-lan');
    const redirect = ast.statements[3];
    expect(redirect?.kind === 'redirect' && redirect.ingress).toBeNull();
  });

  it('reports one error per broken statement and keeps the others', () => {
    const src = 'forward tcp wan 80 -> x\nforward tcp wan:80 -> y\nredirect tcp -> 1\naddress a = 1.2.3.4';
    const { diagnostics, ast } = parse(src);
    expect(diagnostics.map((d) => d.message)).toEqual(["Expected ':' but found '80'.", "Expected a port, a range, a service name or '{' but found '->'."]);
    expect(ast.statements.map((s) => s.kind)).toEqual(['forward', 'address']);
  });

  it('points at the end of a statement that stops too early', () => {
    const src = 'forward tcp wan:80 ->';
    const { diagnostics } = parse(src);
    expect(diagnostics[0]?.span).toEqual({ start: src.length, end: src.length });
    expect(diagnostics[0]?.message).toBe('Expected an address or a name but found the end of the statement.');
  });

  it('remembers names of broken declarations and names used in broken statements', () => {
    const r = parse('address a = \ninterface w eth0\nforward tcp w:80 ->');
    expect(r.brokenNames).toEqual(['a', 'w']);
    expect(r.namesInBroken).toContain('w');
  });

  it('rejects options a statement does not take, and repeats', () => {
    const r = parse('redirect tcp 80 -> 8080 reflect\nforward tcp/tcp w:1 -> x log log');
    expect(r.astDiagnostics.map((d) => d.code)).toEqual(['E001', 'E014', 'E014']);
  });

  it('never throws on random printable garbage', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'forward tcp udp wan:80-> {},/=#"[]\n.:0123456789abc';
    for (let n = 0; n < 300; n++) {
      let s = '';
      for (let i = 0; i < 60; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const r = parse(s);
      for (const d of r.diagnostics) expect(d.span.start).toBeLessThanOrEqual(s.length);
    }
  });
});

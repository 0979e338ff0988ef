import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { LineMap } from '../../src/diagnostics/line-map.js';
import { renderDiagnostics, sanitize, summary } from '../../src/diagnostics/render.js';

const d = (start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'E030',
  severity: 'error',
  message: 'Bad.',
  file: 'r.pf',
  span: { start, end },
  ...extra,
});

describe('render', () => {
  it('prints file:line:col, the line and a marker under the span', () => {
    const src = 'a\n\tforward x\n';
    expect(renderDiagnostics([d(3, 10)], new Map([['r.pf', src]]))).toBe('r.pf:2:2: error E030: Bad.\n    2 | \tforward x\n      | \t^^^^^^^\n');
  });
  it('marks a zero-width span at the end of the file with one caret', () => {
    const src = 'forward';
    expect(renderDiagnostics([d(7, 7)], new Map([['r.pf', src]]))).toContain('      |        ^\n');
  });
  it('marks only the first line of a multi-line span, and prints related notes', () => {
    const src = 'abc\ndef\n';
    const out = renderDiagnostics([d(1, 6, { related: [{ span: { start: 4, end: 5 }, message: 'Here.' }] })], new Map([['r.pf', src]]));
    expect(out).toBe('r.pf:1:2: error E030: Bad.\n    1 | abc\n      |  ^^\nr.pf:2:1: note: Here.\n    2 | def\n      | ^\n');
  });
  it('never writes control characters to the terminal', () => {
    expect(sanitize('a\u001b[31mb\u0000\u202e')).toBe('a?[31mb??');
  });
  it('handles CRLF and summarises', () => {
    const m = new LineMap('x\r\ny');
    expect(m.lineText(1)).toBe('x');
    expect(m.position(3)).toEqual({ line: 2, column: 1 });
    expect(summary([d(0, 1), d(0, 1, { severity: 'warning' })])).toBe('1 error, 1 warning');
  });
});

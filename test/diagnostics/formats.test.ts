/**
 * Machine formats of diagnostics: SARIF 2.1.0 validated against the official OASIS schema
 * (test/support/sarif-schema-2.1.0.json) for every fixture's diagnostics, and GitHub workflow
 * commands with their escaping.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { backends } from '../../src/backends/index.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { diagnosticsGithub, escapeData, escapeProperty } from '../../src/diagnostics/github.js';
import { diagnosticsSarif, fileUri } from '../../src/diagnostics/sarif.js';
import { check, compile } from '../../src/index.js';
import { caseReader, fixtureCases, inputName } from '../support/fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../support/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
// Both are CommonJS modules with a default export: under NodeNext typing it sits on `.default`.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Every diagnostic of every fixture (front end and every target), with every file's text. */
function allFixtureDiagnostics() {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const c of fixtureCases()) {
    const readFile = caseReader(c.dir);
    const source = readFileSync(join(c.dir, inputName), 'utf8');
    const prefix = `${c.name}/`;
    const add = (ds: readonly Diagnostic[], srcs: ReadonlyMap<string, string>) => {
      for (const [f, t] of srcs) sources.set(prefix + f, t);
      for (const d of ds)
        diagnostics.push({
          ...d,
          file: prefix + d.file,
          ...(d.related ? { related: d.related.map((r) => (r.file ? { ...r, file: prefix + r.file } : r)) } : {}),
        });
    };
    const checked = check(source, inputName, { readFile });
    add(checked.diagnostics, checked.sources);
    if (checked.ir)
      for (const b of backends) {
        const r = compile(source, inputName, b.id, { readFile });
        add(
          r.diagnostics.filter((d) => d.target),
          r.sources,
        );
      }
  }
  return { diagnostics, sources };
}

describe('SARIF', () => {
  const { diagnostics, sources } = allFixtureDiagnostics();
  const log = diagnosticsSarif(diagnostics, sources, { toolVersion: '0.1.0' }) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; locations: unknown[]; message: { text: string } }[];
    }[];
  };

  it('covers errors, warnings, related locations in other files and target codes', () => {
    const codes = new Set(diagnostics.map((d) => d.code));
    for (const code of ['E001', 'E006', 'E007', 'E030', 'W001', 'E130']) expect(codes).toContain(code);
    expect(diagnostics.some((d) => d.related?.some((r) => r.file))).toBe(true);
  });
  it('is valid against the SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('gives every result a rule id, level, location and message, and a matching rule', () => {
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(diagnostics.length);
    for (const r of run.results) {
      expect(r.ruleId).toMatch(/^[EW]\d{3}$/);
      expect(['error', 'warning']).toContain(r.level);
      expect(r.locations).toHaveLength(1);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    }
  });
  it('is checked for real: a wrong level or a missing message fails the schema', () => {
    const bad = structuredClone(log);
    (bad.runs[0]!.results[0] as { level: string }).level = 'fatal';
    expect(validate(bad)).toBe(false);
    const noMessage = structuredClone(log) as { runs: { results: { message?: unknown }[] }[] };
    delete noMessage.runs[0]!.results[0]!.message;
    expect(validate(noMessage)).toBe(false);
  });
  it('is valid when there is nothing to report', () => {
    expect(validate(diagnosticsSarif([], new Map(), { toolVersion: '0.1.0' }))).toBe(true);
  });
  it('writes file names as URI references', () => {
    expect(fileUri('rules/a b.pf')).toBe('rules/a%20b.pf');
    expect(fileUri('/etc/pfc/x#1.pf')).toBe('file:///etc/pfc/x%231.pf');
    expect(fileUri('<stdin>')).toBe('stdin');
  });
});

describe('GitHub workflow commands', () => {
  it('escapes data and properties as GitHub documents', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
  it('prints one command per diagnostic with position and title', () => {
    const source = 'interface wan = eth0\nforward tcp wan:80 -> nas\naddress x = 10.0.0.1\n';
    const r = check(source, 'dir,1/r:s.pf');
    expect(diagnosticsGithub(r.diagnostics, r.sources)).toBe(
      "::error file=dir%2C1/r%3As.pf,line=2,col=23,endLine=2,endColumn=26,title=E002::E002: Unknown name 'nas'.\n" +
        "::warning file=dir%2C1/r%3As.pf,line=3,col=9,endLine=3,endColumn=10,title=W001::W001: Address 'x' is declared but never used.\n",
    );
  });
  it('puts related locations on further lines of the message', () => {
    const r = check('interface wan = eth0\nforward tcp wan:80 -> 10.0.0.1\nforward tcp wan:80 -> 10.0.0.2\n', 'r.pf');
    const line = diagnosticsGithub(r.diagnostics, r.sources);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('%0Ar.pf:2:17: note: The other forward is here.');
  });
});

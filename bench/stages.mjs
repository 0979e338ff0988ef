#!/usr/bin/env node
/**
 * Stage times of one compile, measured in-process: the stage functions of dist/ called in the
 * order of src/compile.ts (compileSource), each timed with performance.now(). Run in a fresh
 * process per measurement (like the CLI), so module loading and JIT warm-up count as they do for
 * a user.
 *
 *   node bench/stages.mjs FILE.pf TARGET      prints one JSON object on stdout
 *
 * Fields (milliseconds): import (loading pfc's modules), read, lex, parse (the parser builds the
 * AST), resolve (lex, parse and resolve take turns a chunk at a time, as in compile; each field
 * is its sum over the chunks), validate (with sorting and localising the
 * diagnostics), lower, unsupported (the target's capability check), toViewModel, render, and
 * the three groups: lexParse = lex+parse, resolveCheck = resolve+validate,
 * lowerRender = lower+unsupported+toViewModel+render. Also errors / warnings / capability
 * (E1xx) counts, outputBytes and the peak RSS so far (maxRssKb).
 */

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [file, targetName] = process.argv.slice(2);
if (!file || !targetName) {
  console.error('usage: node bench/stages.mjs FILE.pf TARGET');
  process.exit(2);
}

// PFC_ROOT: another pfc tree to measure (a snapshot of a commit); default this repository.
const dist = process.env.PFC_ROOT ? pathToFileURL(`${process.env.PFC_ROOT.replace(/\/$/, '')}/dist/`) : new URL('../dist/', import.meta.url);
const t = {};
let mark = performance.now();
const lap = (name) => {
  const now = performance.now();
  t[name] = (t[name] ?? 0) + (now - mark);
  mark = now;
};

const [{ findBackend }, { render }, diag, { Messages }, report, { lower }, { Resolver }, { factsOf, validate }, lexer, parser, readSyntaxMod, sourceSet] = await Promise.all(
  [
    'backends/index.js',
    'backends/render.js',
    'diagnostics/diagnostic.js',
    'diagnostics/messages.js',
    'diagnostics/report.js',
    'ir/lower.js',
    'resolve/resolve.js',
    'validate/index.js',
    'syntax/lexer.js',
    'syntax/parser.js',
    'syntax/read-syntax.js',
    'sources/source-set.js',
  ].map((m) => import(new URL(m, dist).href)),
);
lap('import');

const backend = findBackend(targetName);
if (!backend) {
  console.error(`unknown target '${targetName}'`);
  process.exit(2);
}
const source = readFileSync(file, 'utf8');
lap('read');

// Front end, as src/compile.ts (loadAndResolve, through sources/load.js and syntax/read-syntax.js)
// does it for one file without includes: a chunk is lexed, parsed, and its statements resolved
// before the next chunk is lexed; each stage's time is summed over the chunks.
const set = new sourceSet.SourceSet(file, source);
const resolver = new Resolver(file);
const syntax = [];
const recovered = { broken: new Set(), usedInBroken: new Set() };
for (let from = 0; from < source.length; ) {
  const to = readSyntaxMod.chunkEnd(source, from);
  const piece = source.slice(from, to);
  const lexed = lexer.tokenize(piece, file, from);
  for (const d of lexed.diagnostics) syntax.push(d);
  lap('lex');
  const chunk = parser.parseTokens(lexed.tokens, file, piece.length, lexed.errorOffsets, from);
  for (const d of [...chunk.diagnostics, ...chunk.ruleDiagnostics]) syntax.push(d);
  for (const n of chunk.brokenNames) recovered.broken.add(n);
  for (const n of chunk.namesInBroken) recovered.usedInBroken.add(n);
  lap('parse');
  for (const s of chunk.statements) {
    if (s.kind === 'include') {
      console.error('stages.mjs times files without includes only');
      process.exit(2);
    }
    resolver.add(s);
  }
  lap('resolve');
  from = to;
}
const resolved = resolver.finish(recovered);
lap('resolve');
// As src/compile.ts: translations and overlaps computed once, for the checks and for lowering.
const facts = factsOf(resolved.file);
const found = [...syntax, ...resolved.diagnostics, ...validate(resolved.file, facts)];
const diagnostics = diag.sortDiagnostics(found.map((d) => set.localize(d)));
lap('validate');

const out = { file, target: backend.id, errors: 0, warnings: 0, capability: 0, outputBytes: 0 };
out.errors = diagnostics.filter((d) => d.severity === 'error').length;
out.warnings = diagnostics.length - out.errors;
if (out.errors === 0) {
  const ir = lower(resolved.file, set, facts.overlaps());
  lap('lower');
  const capability = backend.unsupported(ir, {}).map((u) => set.localize(report.makeDiagnostic(Messages[u.message], file, u.span, u.data)));
  lap('unsupported');
  out.capability = capability.filter((d) => d.severity === 'error').length;
  out.capabilityCodes = [...new Set(capability.filter((d) => d.severity === 'error').map((d) => d.code))].sort();
  if (out.capability === 0) {
    const view = backend.toViewModel(ir, {});
    lap('toViewModel');
    const text = render(backend.template, view);
    lap('render');
    out.outputBytes = Buffer.byteLength(text);
  }
}
const ms = (x) => Math.round((x ?? 0) * 10) / 10;
out.ms = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, ms(v)]));
out.ms.lexParse = ms((t.lex ?? 0) + (t.parse ?? 0));
out.ms.resolveCheck = ms((t.resolve ?? 0) + (t.validate ?? 0));
out.ms.lowerRender = ms((t.lower ?? 0) + (t.unsupported ?? 0) + (t.toViewModel ?? 0) + (t.render ?? 0));
out.ms.pipeline = ms(out.ms.lexParse + out.ms.resolveCheck + out.ms.lowerRender);
out.maxRssKb = process.resourceUsage().maxRSS;
process.stdout.write(`${JSON.stringify(out)}\n`);

// Bundles the CLI (dist/cli/pfc.js), so that start-up reads a few modules instead of hundreds
// (chevrotain's lodash-es alone is over 600 files), with every template precompiled. The commands,
// which main.ts imports when one runs, are a chunk of their own (dist/cli/pfc-commands-HASH.js,
// with a small chunk of what both need), so --version and --help load only commander and main.
// Run after tsc by `npm run build`.
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { precompileTemplate, templatesDir } from '../dist/backends/precompiled.js';

/**
 * Replaces dist/backends/precompiled.js (which precompiles a template when first used, with the
 * full handlebars package) with the specifications of every template, precompiled now: a run of
 * `pfc` then skips compiling its template (~70 ms of parsing and code generation on each run),
 * and the bundle holds only handlebars' runtime, not its compiler (render.ts imports
 * handlebars/runtime.js; test/cli/bundle.test.ts checks that the compiler stays out).
 */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]backends[\\/]precompiled\.js$/ }, () => {
      const entries = readdirSync(templatesDir)
        .filter((name) => name.endsWith('.hbs'))
        .sort()
        .map((name) => `  [${JSON.stringify(name)}, ${precompileTemplate(name)}],`);
      const contents = [
        `const specs = new Map([\n${entries.join('\n')}\n]);`,
        'export function templateSpec(template) {',
        '  const spec = specs.get(template);',
        "  if (spec === undefined) throw new Error(`template ${template} is not in the bundle`);",
        '  return spec;',
        '}',
        '',
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Chevrotain's lexer maps a character to its "optimized index" (its slot in the table of the
 * patterns a token can start with) through a 65,536-entry array built on the first Lexer, one
 * iteration per UTF-16 code unit: ~10-13 ms of every run that lexes, spent in V8's interpreter.
 * Entries below 256 are the code itself and are never read; every other entry is 255 + ~~(code /
 * 255). The bundle computes that formula instead of building the array, which Chevrotain's own
 * TODO suggests ("Perhaps it should be lazy initialized only if a charCode > 255 is used"). Each
 * text must match once: a Chevrotain that changed them fails the build, to be looked at again.
 * test/cli/bundle.test.ts checks the bundle against the unbundled CLI on non-ASCII input.
 */
const chevrotainCharCodes = {
  name: 'chevrotain-char-codes',
  setup(b) {
    const edits = [
      ['        : charCodeToOptimizedIdxMap[charCode];\n', '        : 255 + ~~(charCode / 255);\n'],
      [
        [
          '    if (isEmpty(charCodeToOptimizedIdxMap)) {',
          '        charCodeToOptimizedIdxMap = new Array(65536);',
          '        for (let i = 0; i < 65536; i++) {',
          '            charCodeToOptimizedIdxMap[i] = i > 255 ? 255 + ~~(i / 255) : i;',
          '        }',
          '    }',
          '',
        ].join('\n'),
        '',
      ],
    ];
    b.onLoad({ filter: /[\\/]node_modules[\\/]chevrotain[\\/]lib[\\/]src[\\/]scan[\\/]lexer\.js$/ }, ({ path }) => {
      let contents = readFileSync(path, 'utf8');
      for (const [from, to] of edits) {
        if (contents.split(from).length !== 2) throw new Error(`${path}: the text to replace is not there once (a new Chevrotain?):\n${from}`);
        contents = contents.replace(from, to);
      }
      return { contents, loader: 'js' };
    });
  },
};

// The chunks of an earlier build (their names change with their contents).
for (const name of readdirSync('dist/cli')) if (/^pfc-.*\.js$/.test(name)) rmSync(`dist/cli/${name}`);

await build({
  entryPoints: { pfc: 'dist/cli/main.js' },
  outdir: 'dist/cli',
  splitting: true,
  // Next to pfc.js, so that paths relative to a module (version.ts reads ../../package.json) still hold.
  chunkNames: 'pfc-[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [precompiledTemplates, chevrotainCharCodes],
  // CommonJS dependencies (commander) require Node built-ins; give each chunk a require.
  banner: { js: "import { createRequire as __pfcCreateRequire } from 'node:module';\nconst require = __pfcCreateRequire(import.meta.url);" },
});

// The bin must be executable from a fresh clone (npx pfc).
chmodSync('dist/cli/pfc.js', 0o755);
chmodSync('dist/cli/main.js', 0o755);

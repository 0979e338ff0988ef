// Bundles the CLI (dist/cli/pfc.js), so that start-up reads a few modules instead of hundreds
// (chevrotain's lodash-es alone is over 600 files), with every template precompiled. The commands,
// which main.ts imports when one runs, are a chunk of their own (dist/cli/pfc-commands-HASH.js,
// with a small chunk of what both need), so --version and --help load only commander and main.
// Run after tsc by `npm run build`.
import { chmodSync, readdirSync, rmSync } from 'node:fs';
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
  plugins: [precompiledTemplates],
  // CommonJS dependencies (commander) require Node built-ins; give each chunk a require.
  banner: { js: "import { createRequire as __pfcCreateRequire } from 'node:module';\nconst require = __pfcCreateRequire(import.meta.url);" },
});

// The bin must be executable from a fresh clone (npx pfc).
chmodSync('dist/cli/pfc.js', 0o755);
chmodSync('dist/cli/main.js', 0o755);

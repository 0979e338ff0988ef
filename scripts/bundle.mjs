// Bundles the CLI into one file (dist/cli/pfc.js), so that start-up reads one module instead of
// hundreds (chevrotain's lodash-es alone is over 600 files), with every template precompiled.
// Run after tsc by `npm run build`.
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { templateOptions, templatesDir } from '../dist/backends/render.js';

/**
 * Replaces dist/backends/precompiled.js (an empty table) with Handlebars.precompile of every
 * template, with the options render.ts compiles them with: a run of `pfc` then skips compiling
 * its template (~70 ms of parsing and code generation on each run).
 */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]backends[\\/]precompiled\.js$/ }, () => {
      const entries = readdirSync(templatesDir)
        .filter((name) => name.endsWith('.hbs'))
        .sort()
        .map((name) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(readFileSync(join(templatesDir, name), 'utf8'), templateOptions)},`);
      return { contents: `export const precompiledTemplates = {\n${entries.join('\n')}\n};\n`, loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/cli/pfc.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [precompiledTemplates],
  // CommonJS dependencies (handlebars) may require Node built-ins; give the bundle a require.
  banner: { js: "import { createRequire as __pfcCreateRequire } from 'node:module';\nconst require = __pfcCreateRequire(import.meta.url);" },
});

// The bin must be executable from a fresh clone (npx pfc).
chmodSync('dist/cli/pfc.js', 0o755);
chmodSync('dist/cli/main.js', 0o755);

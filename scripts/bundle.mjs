// Bundles the CLI into one file (dist/cli/pfc.js), so that start-up reads one module instead of
// hundreds (chevrotain's lodash-es alone is over 600 files). Run after tsc by `npm run build`.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

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
  // CommonJS dependencies (handlebars) may require Node built-ins; give the bundle a require.
  banner: { js: "import { createRequire as __pfcCreateRequire } from 'node:module';\nconst require = __pfcCreateRequire(import.meta.url);" },
});

// The bin must be executable from a fresh clone (npx pfc).
chmodSync('dist/cli/pfc.js', 0o755);
chmodSync('dist/cli/main.js', 0o755);

/** Every command, loaded by main.ts when one runs (so that --version and --help load none). */

export { checkCommand } from './check.js';
export { compileCommand } from './compile.js';
export { diffCommand } from './diff.js';
export { explainCommand } from './explain.js';
export { fmtCommand } from './fmt.js';
export { targetsCommand } from './targets.js';

/** pfc's version, read once from package.json (for --version and SARIF's tool.driver.version). */

import { readFileSync } from 'node:fs';

/** The version in package.json. */
export const version: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Writes grammar/productions.json and grammar/diagrams.html from the parser (npm run gen:grammar). */

import { writeFileSync } from 'node:fs';
import { diagramsHtml, productionsJson } from './grammar-docs.js';

const dir = new URL('../../grammar/', import.meta.url);
writeFileSync(new URL('productions.json', dir), productionsJson());
writeFileSync(new URL('diagrams.html', dir), diagramsHtml());
process.stdout.write('wrote grammar/productions.json and grammar/diagrams.html\n');

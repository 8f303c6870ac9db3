import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { schema } from '../schema.js';
import { renderScopeTables, replaceScopeSection } from './scope-table.js';

// `npm run docs:scopes`: rewrites the README's "Scopes" tables from the schema's scope-auth rules.
const target = fileURLToPath(new URL('../../README.md', import.meta.url));
const readme = await readFile(target, 'utf8');
const updated = replaceScopeSection(readme, await renderScopeTables(schema));
if (updated !== readme) await writeFile(target, updated);
process.stdout.write(`${updated === readme ? 'unchanged' : 'updated'} ${target}\n`);

import { readFile, writeFile } from 'node:fs/promises';
import { schema } from '../schema.js';
import { renderScopeTables, replaceScopeSection, SCOPES_DOC } from './scope-table.js';

// `npm run docs:scopes`: rewrites the "Scopes" tables of docs/auth.md from the schema's scope-auth
// rules.
const markdown = await readFile(SCOPES_DOC, 'utf8');
const updated = replaceScopeSection(markdown, await renderScopeTables(schema));
if (updated !== markdown) await writeFile(SCOPES_DOC, updated);
process.stdout.write(`${updated === markdown ? 'unchanged' : 'updated'} ${SCOPES_DOC}\n`);

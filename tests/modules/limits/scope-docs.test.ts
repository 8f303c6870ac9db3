import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  renderScopeTables,
  SCOPES_DOC,
  SCOPES_END,
  SCOPES_START,
} from '../../../src/cli/scope-table.js';
import { schema } from '../../../src/schema.js';

describe('docs/auth.md "Scopes" table', () => {
  it('lists every root operation with its scope and is up to date (run `npm run docs:scopes`)', async () => {
    const markdown = await readFile(SCOPES_DOC, 'utf8');
    const start = markdown.indexOf(SCOPES_START);
    const end = markdown.indexOf(SCOPES_END);
    expect(start, 'docs/auth.md lacks the scopes markers').toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const section = markdown.slice(start + SCOPES_START.length, end).trim();
    expect(section).toBe(await renderScopeTables(schema));
  });

  it('names a scope for every root field', async () => {
    const tables = await renderScopeTables(schema);
    for (const root of [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ]) {
      for (const name of Object.keys(root?.getFields() ?? {})) {
        const row = tables.split('\n').find((line) => line.startsWith(`| \`${name}\` `));
        expect(row, name).toBeDefined();
        expect(row, name).toMatch(/`(read|write|manage):[a-z]+`/);
      }
    }
  });
});

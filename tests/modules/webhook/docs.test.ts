import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { formattedWithCatalogue } from '../../../src/modules/webhook/catalogue-markdown.js';
import { WEBHOOK_EVENTS } from '../../../src/modules/webhook/catalogue.js';

describe('docs/webhooks.md', () => {
  it('has the event catalogue as catalogue.ts defines it (npx tsx src/modules/webhook/catalogue-markdown.ts)', async () => {
    const file = fileURLToPath(new URL('../../../docs/webhooks.md', import.meta.url));
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toBe(await formattedWithCatalogue(file, markdown));
    for (const spec of WEBHOOK_EVENTS) expect(markdown).toContain(`### \`${spec.type}\``);
  });
});

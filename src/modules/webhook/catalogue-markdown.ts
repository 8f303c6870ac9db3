import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WEBHOOK_EVENTS } from './catalogue.js';

export const CATALOGUE_BEGIN =
  '<!-- webhook-catalogue:begin (generated from src/modules/webhook/catalogue.ts) -->';
export const CATALOGUE_END = '<!-- webhook-catalogue:end -->';

/** The event catalogue of docs/webhooks.md: one section per type with the schema of `data`. */
export function renderCatalogue(): string {
  const sections = WEBHOOK_EVENTS.map((spec) =>
    [
      `### \`${spec.type}\``,
      '',
      `${spec.description} Needs \`${spec.scope}\`.`,
      '',
      '```json',
      JSON.stringify(spec.data, null, 2),
      '```',
    ].join('\n'),
  );
  const index = WEBHOOK_EVENTS.map(
    (spec) => `| \`${spec.type}\` | \`${spec.scope}\` | ${spec.description} |`,
  );
  return [
    CATALOGUE_BEGIN,
    '',
    '| type | scope | sent when |',
    '| --- | --- | --- |',
    ...index,
    '',
    'The JSON Schema of each type’s `data` (the envelope is the same for all; `webhookEventTypes` returns the whole message’s schema):',
    '',
    sections.join('\n\n'),
    '',
    CATALOGUE_END,
  ].join('\n');
}

/** docs/webhooks.md with its catalogue section replaced by the current one. */
export function withCatalogue(markdown: string): string {
  const begin = markdown.indexOf(CATALOGUE_BEGIN);
  const end = markdown.indexOf(CATALOGUE_END);
  if (begin < 0 || end < begin) throw new Error('docs/webhooks.md: catalogue markers missing');
  return markdown.slice(0, begin) + renderCatalogue() + markdown.slice(end + CATALOGUE_END.length);
}

/** withCatalogue, formatted as the repository's Prettier settings want (a dev dependency). */
export async function formattedWithCatalogue(file: string, markdown: string): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(withCatalogue(markdown), { ...options, filepath: file });
}

// `npx tsx src/modules/webhook/catalogue-markdown.ts` rewrites the section in docs/webhooks.md.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('../../../docs/webhooks.md', import.meta.url));
  writeFileSync(file, await formattedWithCatalogue(file, readFileSync(file, 'utf8')));
  process.stdout.write(`wrote ${file}\n`);
}

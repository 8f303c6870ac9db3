import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'prettier';
import { z } from 'zod';
import { ENV_DOCS, ENV_GROUPS, type EnvDoc } from '../env-docs.js';
import { rawEnvSchema, type EnvKey } from '../env.js';

// `npm run docs:config`: renders docs/configuration.md's settings tables and .env.example from the
// schema in src/env.ts (defaults, bounds, enums) and its ENV_DOCS (descriptions).

export const CONFIG_START =
  '<!-- config:start — generated from src/env.ts by `npm run docs:config`; do not edit -->';
export const CONFIG_END = '<!-- config:end -->';

export const CONFIG_DOC = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));
export const ENV_EXAMPLE = fileURLToPath(new URL('../../.env.example', import.meta.url));

const BOOLEAN_VALUES = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'];

type Field = z.ZodType;

const fieldOf = (key: EnvKey): Field => rawEnvSchema.shape[key] as Field;

/** The schema's default (already in its output type), or undefined when the key has none. */
function defaultOf(field: Field): unknown {
  let current: Field | undefined = field;
  while (current) {
    const def = current.def as { type: string; innerType?: Field; defaultValue?: unknown };
    if (def.type === 'default') return def.defaultValue;
    current = def.type === 'optional' || def.type === 'nullable' ? def.innerType : undefined;
  }
  return undefined;
}

interface InputSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
}

/** What the environment may hold, read from the input side of the key's schema. */
function allowedOf(field: Field, doc: EnvDoc): string {
  if (doc.allowed) return doc.allowed;
  const schema = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as InputSchema;
  if (schema.enum) {
    const values = schema.enum.map(String);
    if (values.length === BOOLEAN_VALUES.length && values.every((v) => BOOLEAN_VALUES.includes(v)))
      return 'boolean';
    return values.map((value) => `\`${value}\``).join(', ');
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const integer = schema.type === 'integer';
    // `.int()` bounds every integer to the safe range: not worth a mention.
    const safe = (n: number | undefined) =>
      n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
    const exclusiveMin = safe(schema.exclusiveMinimum);
    const min =
      safe(schema.minimum) ??
      (exclusiveMin !== undefined && integer ? exclusiveMin + 1 : exclusiveMin);
    const max = safe(schema.maximum) ?? safe(schema.exclusiveMaximum);
    const kind = integer ? 'integer' : 'number';
    if (min !== undefined && max !== undefined) return `${kind} ${min}–${max}`;
    if (min !== undefined)
      return `${kind} ${safe(schema.minimum) === undefined && !integer ? '>' : '≥'} ${min}`;
    if (max !== undefined) return `${kind} ≤ ${max}`;
    return kind;
  }
  if (schema.format === 'uri') return 'URL';
  return 'text';
}

const keysIn = (group: EnvDoc['group']) =>
  (Object.entries(ENV_DOCS) as [EnvKey, EnvDoc][]).filter(([, doc]) => doc.group === group);

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The generated part of docs/configuration.md (between the markers), formatted as Prettier does. */
export async function renderConfigSection(): Promise<string> {
  const lines = [
    '_boolean_: `true` or `false` (also `1`/`0`, `yes`/`no`, `on`/`off`). An empty value counts as',
    'unset.',
    '',
  ];
  for (const group of ENV_GROUPS) {
    lines.push(
      `## ${group}`,
      '',
      '| key | default | allowed | meaning |',
      '| --- | --- | --- | --- |',
    );
    for (const [key, doc] of keysIn(group)) {
      const value = defaultOf(fieldOf(key));
      const fallback = value === undefined ? (doc.unset ?? 'unset') : `\`${String(value)}\``;
      lines.push(
        `| \`${key}\` | ${cell(fallback)} | ${cell(allowedOf(fieldOf(key), doc))} | ${cell(doc.description)} |`,
      );
    }
    lines.push('');
  }
  return (await format(lines.join('\n'), { parser: 'markdown', printWidth: 100 })).trimEnd();
}

/** Markdown to a plain comment: code spans lose their backticks, links become their text and file. */
const plain = (markdown: string) =>
  markdown
    .replace(/`([^`]*)`/g, '$1')
    .replace(
      /\[([^\]]*)\]\(([^)]*)\)/g,
      (_, text: string, target: string) => `${text}, docs/${target}`,
    );

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A dotenv value: bare when it is safe bare, else double-quoted. */
const dotenvValue = (value: string) =>
  /^[\w./:@,<>+-]*$/.test(value)
    ? value
    : `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** .env.example: every key, with its default (empty where unset means something of its own). */
export function renderEnvExample(): string {
  const out = [
    '# Pulse configuration: every setting, with its default (a copy of this file changes nothing',
    '# until you edit it). Every key is optional. The server reads only the process environment',
    '# (src/env.ts is the only reader): export these, put them in your process manager or container',
    '# definition, or load a copy with  node --env-file=.env --import tsx src/main.ts',
    '# An empty value counts as unset. Generated from src/env.ts by `npm run docs:config`; the',
    '# reference is docs/configuration.md.',
  ];
  for (const group of ENV_GROUPS) {
    out.push('', `# ---- ${group} ${'-'.repeat(Math.max(0, 90 - group.length))}`);
    for (const [key, doc] of keysIn(group)) {
      const field = fieldOf(key);
      const value = defaultOf(field);
      out.push('');
      let note = `${plain(doc.description)}. Allowed: ${plain(allowedOf(field, doc))}.`;
      if (doc.unset && !/\bunset\b/i.test(doc.description)) note += ` Unset: ${plain(doc.unset)}.`;
      for (const line of wrap(note, 96)) out.push(`# ${line}`);
      out.push(`${key}=${value === undefined ? '' : dotenvValue(String(value))}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** docs/configuration.md with the generated section replaced (markers kept). */
export function replaceConfigSection(markdown: string, section: string): string {
  const start = markdown.indexOf(CONFIG_START);
  const end = markdown.indexOf(CONFIG_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/configuration.md needs the markers ${CONFIG_START} and ${CONFIG_END}`);
  }
  return `${markdown.slice(0, start + CONFIG_START.length)}\n\n${section}\n\n${markdown.slice(end)}`;
}

async function main() {
  const doc = await readFile(CONFIG_DOC, 'utf8');
  const updatedDoc = replaceConfigSection(doc, await renderConfigSection());
  const example = await readFile(ENV_EXAMPLE, 'utf8').catch(() => '');
  const updatedExample = renderEnvExample();
  for (const [path, before, after] of [
    [CONFIG_DOC, doc, updatedDoc],
    [ENV_EXAMPLE, example, updatedExample],
  ] as const) {
    if (after !== before) await writeFile(path, after);
    process.stdout.write(`${after === before ? 'unchanged' : 'updated'} ${path}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_DOC,
  CONFIG_END,
  CONFIG_START,
  ENV_EXAMPLE,
  renderConfigSection,
  renderEnvExample,
} from '../../src/cli/docs-config.js';
import { ENV_DOCS } from '../../src/env-docs.js';
import { loadConfig, rawEnvSchema } from '../../src/env.js';

const keys = Object.keys(rawEnvSchema.shape);

describe('docs/configuration.md and .env.example follow src/env.ts (run `npm run docs:config`)', () => {
  it('docs/configuration.md holds the generated tables', async () => {
    const doc = readFileSync(CONFIG_DOC, 'utf8');
    const start = doc.indexOf(CONFIG_START);
    const end = doc.indexOf(CONFIG_END);
    expect(start, 'docs/configuration.md lacks the config markers').toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    expect(doc.slice(start + CONFIG_START.length, end).trim()).toBe(await renderConfigSection());
  });

  it('.env.example is the generated file', () => {
    expect(readFileSync(ENV_EXAMPLE, 'utf8')).toBe(renderEnvExample());
  });

  it('documents every key the schema reads, once, in both', async () => {
    expect(Object.keys(ENV_DOCS).sort()).toEqual([...keys].sort());
    const section = await renderConfigSection();
    const example = parseEnv(readFileSync(ENV_EXAMPLE, 'utf8'));
    for (const key of keys) {
      expect(section.match(new RegExp(`^\\| \`${key}\` `, 'gm')), key).toHaveLength(1);
      expect(example, key).toHaveProperty(key);
    }
    expect(Object.keys(example).sort()).toEqual([...keys].sort());
  });

  it('.env.example is valid dotenv that the server accepts, with the defaults', () => {
    const example = parseEnv(readFileSync(ENV_EXAMPLE, 'utf8'));
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });
});

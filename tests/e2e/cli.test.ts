import { describe, expect, it } from 'vitest';
import { apiKeyTable } from '../../src/db/schema.js';
import { hashApiKey, isWellFormedApiKey } from '../../src/modules/api-key/api-key.token.js';
import { useCliDatabase } from '../helpers/cli.js';

// The CLI is another process, so it needs a database it can open too.
const shared = useCliDatabase('pulse-cli');
const cli = (...args: string[]) => shared.cli(args);

// Each step starts a CLI process (tsx compiles on start): generous when CI runs suites side by side.
describe('npm run cli', { timeout: 120_000 }, () => {
  it('creates a user, refuses a duplicate, and prints a new key exactly once (AUTH-KEY-01)', async () => {
    const created = await cli('user', 'create', '--email', 'Cli@Pulse.test', '--name', 'CLI user');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created user cli@pulse.test');

    const duplicate = await cli('user', 'create', '--email', 'cli@pulse.test', '--name', 'Again');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('already in use');

    const key = await cli(
      'apikey',
      'create',
      '--email',
      'cli@pulse.test',
      '--name',
      'ci',
      '--scopes',
      'read:videos,read:user',
    );
    expect(key.code).toBe(0);
    const secrets = key.stdout.match(/pulse_[0-9A-Za-z]{50}/g) ?? [];
    expect(secrets).toHaveLength(1);
    const secret = secrets[0]!;
    expect(isWellFormedApiKey(secret)).toBe(true);

    await shared.open(async ({ db }) => {
      const rows = await db.select().from(apiKeyTable);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        hash: hashApiKey(secret),
        prefix: secret.slice(0, 18),
        scopes: ['read:videos', 'read:user'],
      });
      expect(JSON.stringify(rows)).not.toContain(secret);
    });
  });

  it('refuses unknown scopes, unknown owners and unknown commands with a usage message', async () => {
    expect(
      (await cli('apikey', 'create', '--email', 'cli@pulse.test', '--scopes', 'read:everything'))
        .stderr,
    ).toContain('Unknown scope');
    expect((await cli('apikey', 'create', '--email', 'nobody@pulse.test')).code).toBe(2);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage');
  });

  it('generates well-formed keys for DEMO_API_KEY', async () => {
    const generated = await cli('apikey', 'generate');
    expect(isWellFormedApiKey(generated.stdout.trim())).toBe(true);
  });
});

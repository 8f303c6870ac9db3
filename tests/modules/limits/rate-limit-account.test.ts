import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyTable } from '../../../src/db/schema.js';
import { createApiKey } from '../../../src/modules/api-key/api-key.service.js';
import { TestIssuer } from '../../helpers/oauth.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

/**
 * Tier limits are the account's (README, limits): every API key and OAuth grant of one account
 * draws on one budget, so a new key is never a new budget.
 */
const AUDIENCE = 'https://api.pulse.test';
const TYPENAME = '{ __typename }';

let issuer: TestIssuer;
let t: TestApp;

beforeAll(async () => {
  issuer = await TestIssuer.start();
  t = await startTestApp({
    RATE_LIMIT_ENABLED: 'true',
    COST_LIMIT_ENABLED: 'true',
    OAUTH_ISSUER: issuer.url,
    OAUTH_AUDIENCE: AUDIENCE,
  });
});
afterAll(async () => {
  await t.close();
  await issuer.close();
});

/** A free account with its first key, a second key and an OAuth token acting for it. */
async function freeAccount() {
  const viewer = await t.createViewer({ plan: 'free' });
  const second = await createApiKey(t.database.db, { ownerId: viewer.userId, name: 'second' });
  const token = await issuer.token({ sub: viewer.userId }, { audience: AUDIENCE });
  return { ...viewer, credentials: [viewer.key, second.secret, token] };
}

describe('RL-01 one budget per account, shared by its keys and OAuth grants', () => {
  it('10 operations spread over two keys and a token spend the free minute; the 11th is refused on each', async () => {
    const account = await freeAccount();
    const { perMinute } = t.config.protection.tiers.free;
    for (let i = 0; i < perMinute; i++) {
      const response = await t.graphql(TYPENAME, {
        key: account.credentials[i % account.credentials.length]!,
      });
      expect(response.status).toBe(200);
      expect(response.body.extensions?.['cost'].rateLimit.minute.remaining).toBe(perMinute - i - 1);
    }
    for (const credential of account.credentials) {
      const refused = await t.graphql(TYPENAME, { key: credential });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // Another account is unaffected.
    expect((await t.graphql(TYPENAME, { key: (await freeAccount()).key })).status).toBe(200);
  });

  it('revoking a key and creating a new one gives no fresh budget', async () => {
    const account = await freeAccount();
    for (let i = 0; i < t.config.protection.tiers.free.perMinute; i++) {
      expect((await t.graphql(TYPENAME, { key: account.key })).status).toBe(200);
    }
    await t.database.db
      .update(apiKeyTable)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeyTable.ownerId, account.userId));
    const fresh = await createApiKey(t.database.db, { ownerId: account.userId, name: 'fresh' });
    const refused = await t.graphql(TYPENAME, { key: fresh.secret });
    expect(refused.status).toBe(429);
    const usage = await t.graphql('{ usage { quota { perMinute { remaining } } } }', {
      key: fresh.secret,
    });
    expect(usage.status).toBe(429);
  });
});

describe('RL-02 atomic counting across one account’s credentials', () => {
  it('200 simultaneous requests over two keys and a token → exactly 10 succeed', async () => {
    const account = await freeAccount();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.graphql(TYPENAME, { key: account.credentials[i % account.credentials.length]! }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(190);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../../src/db/raw.js';
import { createApiKey } from '../../../src/modules/api-key/api-key.service.js';
import { countRows } from '../../helpers/fixtures.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const USAGE = /* GraphQL */ `
  query Usage($range: UsageRangeInput) {
    usage(range: $range) {
      from
      to
      totals {
        operations
        cost
        rejected
        rejectionRate
      }
      days {
        day
        operations
        cost
        rejected
      }
      credentials {
        credential
        kind
        name
        prefix
        totals {
          operations
          cost
          rejected
        }
        days {
          day
          operations
        }
      }
      quota {
        plan
        credential
        costLimit
        enforced
        perMinute {
          limit
          remaining
          resetAt
        }
        perDay {
          limit
          remaining
        }
      }
    }
  }
`;

let t: TestApp;
let alice: TestViewer;
let aliceSecondKey: string;
let aliceSecondKeyId: string;

beforeAll(async () => {
  // Usage is flushed only by the usage query or at stop (the test default interval is an hour).
  t = await startTestApp({ RATE_LIMIT_ENABLED: 'true', COST_LIMIT_ENABLED: 'true' });
  alice = await t.createViewer({ plan: 'pro' });
  const second = await createApiKey(t.database.db, { ownerId: alice.userId, name: 'ci' });
  aliceSecondKey = second.secret;
  aliceSecondKeyId = second.apiKey.id;
  // First uses record the keys' lastUsedAt (once a minute): done here, out of the counts below.
  await t.graphql('{ me { id } }', { key: alice.key });
  await t.graphql('{ me { id } }', { key: aliceSecondKey });
});
afterAll(() => t.close());
afterEach(() => void vi.useRealTimers());

const rows = () => countRows(t.database.db, 'usage_daily');

describe('usage per credential per UTC day', () => {
  it('counts in memory and writes one batched upsert, not one write per request', async () => {
    for (let i = 0; i < 4; i++) await t.graphql('{ me { id } }', { key: alice.key });
    for (let i = 0; i < 2; i++) await t.graphql('{ me { id } }', { key: aliceSecondKey });
    expect(await rows()).toBe(0);
    const before = t.database.stats.statements;
    await t.app.services.limits.usage.flush();
    expect(t.database.stats.statements - before).toBe(1);
    expect(await rows()).toBe(2);
    const idle = t.database.stats.statements;
    await t.app.services.limits.usage.flush(); // nothing pending: no statement
    expect(t.database.stats.statements).toBe(idle);
  });

  it('reports per credential and per day, with cost and refusals, in the usage query', async () => {
    const list = (alias: string) =>
      `${alias}: videos(first: 100) { edges { node { publications { channel { owner { channels { name } } } } } } }`;
    const refused = await t.graphql(`{ ${list('a')} ${list('b')} }`, { key: aliceSecondKey });
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');

    const response = await t.graphql(USAGE, { key: alice.key });
    expect(response.status).toBe(200);
    const usage = response.body.data.usage;
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.to).toBe(today);
    expect(usage.days).toHaveLength(30);
    // 5 + 1 (this query) on the first key; 3 + 1 refused on the second.
    expect(usage.totals).toMatchObject({ operations: 10, rejected: 1, rejectionRate: 10 });
    expect(usage.days.at(-1)).toMatchObject({ day: today, operations: 10, rejected: 1 });
    const byCredential = Object.fromEntries(
      usage.credentials.map((entry: { credential: string }) => [entry.credential, entry]),
    );
    const second = byCredential[`api_key:${aliceSecondKeyId}`];
    expect(second).toMatchObject({
      kind: 'API_KEY',
      name: 'ci',
      totals: { operations: 4, rejected: 1, cost: 3 },
    });
    expect(second.prefix).toMatch(/^pulse_/);
    expect(usage.credentials).toHaveLength(2);
    expect(usage.quota).toMatchObject({
      plan: 'PRO',
      costLimit: 2000,
      enforced: true,
      // One budget for the account: both keys' 10 operations count.
      perMinute: { limit: 100, remaining: 90 },
      perDay: { limit: 10_000, remaining: 9990 },
    });
    expect(Date.parse(usage.quota.perMinute.resetAt)).toBeGreaterThan(Date.now());
  });

  it('splits by UTC day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const bob = await t.createViewer({ plan: 'enterprise' });
    vi.setSystemTime(new Date('2030-05-01T23:59:00Z'));
    await t.graphql('{ me { id } }', { key: bob.key });
    vi.setSystemTime(new Date('2030-05-02T00:00:30Z'));
    await t.graphql('{ me { id } }', { key: bob.key });
    await t.graphql('{ me { id } }', { key: bob.key });
    const response = await t.graphql(USAGE, {
      key: bob.key,
      variables: { range: { from: '2030-04-30', to: '2030-05-02' } },
    });
    expect(
      response.body.data.usage.days.map((day: { operations: number }) => day.operations),
    ).toEqual([0, 1, 3]);
  });

  it('shows a viewer only their own usage', async () => {
    const carol = await t.createViewer({ plan: 'free' });
    const response = await t.graphql(USAGE, { key: carol.key });
    const usage = response.body.data.usage;
    expect(usage.totals.operations).toBe(1);
    expect(usage.credentials).toHaveLength(1);
    expect(JSON.stringify(usage)).not.toContain(aliceSecondKeyId);
  });

  it('refuses a reversed or over-long range with BAD_USER_INPUT', async () => {
    for (const range of [
      { from: '2030-01-02', to: '2030-01-01' },
      { from: '2028-01-01', to: '2030-01-01' },
    ]) {
      const response = await t.graphql(USAGE, { key: alice.key, variables: { range } });
      expect(response.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });

  it('keeps the counts when a write fails and writes them later: nothing is lost', async () => {
    const dave = await t.createViewer({ plan: 'pro' });
    await t.graphql('{ me { id } }', { key: dave.key });
    await t.database.db.execute(sql`alter table usage_daily rename to usage_daily_gone`);
    try {
      await t.app.services.limits.usage.flush(); // fails, logged
    } finally {
      await t.database.db.execute(sql`alter table usage_daily_gone rename to usage_daily`);
    }
    await t.graphql('{ me { id } }', { key: dave.key });
    const usage = (await t.graphql(USAGE, { key: dave.key })).body.data.usage;
    expect(usage.totals.operations).toBe(3);
  });
});

describe('usage is written when the server stops', () => {
  it('stop() flushes what is pending', async () => {
    const other = await startTestApp();
    try {
      const viewer = await other.createViewer();
      for (let i = 0; i < 4; i++) await other.graphql('{ me { id } }', { key: viewer.key });
      expect(await countRows(other.database.db, 'usage_daily')).toBe(0);
      await other.app.stop();
      const [total] = await queryRows<{ n: number }>(
        other.database.db,
        sql`select sum(operations)::int as n from usage_daily`,
      );
      expect(Number(total?.n)).toBe(4);
    } finally {
      await other.close();
    }
  });
});

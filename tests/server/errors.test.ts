import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await t.createViewer();
});
afterAll(() => t.close());

describe('GQL-MASK-08 unexpected errors are masked', () => {
  it('a resolver hitting a broken query answers "Unexpected error." with no stack, SQL, table or host', async () => {
    await t.database.db.execute(sql`alter table video_counters rename to video_counters_gone`);
    try {
      const response = await t.graphql('{ videos(first: 5) { edges { node { title } } } }');
      expect(response.status).toBeLessThan(500);
      const error = response.body.errors?.[0];
      expect(error?.message).toBe('Unexpected error.');
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const body = JSON.stringify(response.body);
      for (const leak of [
        'video_counters',
        'select',
        'relation',
        'stack',
        'at ',
        '127.0.0.1',
        'postgres',
        'src/',
      ]) {
        expect(body.toLowerCase()).not.toContain(leak);
      }
    } finally {
      await t.database.db.execute(sql`alter table video_counters_gone rename to video_counters`);
    }
  });

  it('/ready answers 503 when the database is unreachable, /health stays 200', async () => {
    const broken = await startTestApp();
    await broken.closeDatabase();
    try {
      expect((await broken.app.fetch('http://pulse.test/ready')).status).toBe(503);
      expect((await broken.app.fetch('http://pulse.test/health')).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

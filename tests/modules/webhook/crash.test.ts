import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../src/modules/api-key/api-key.service.js';
import { createUser } from '../../../src/modules/user/user.service.js';
import { withDatabase } from '../../helpers/cli.js';
import { collectOutput, exited, runScript, waitFor } from '../../helpers/process.js';
import { createSharedDatabaseUrl } from '../../helpers/test-app.js';
import { Receiver } from './receiver.js';

const MESSAGES = 6;

let database: { url: string; drop: () => Promise<void> };
let receiver: Receiver;
let key: string;
const servers: ReturnType<typeof runScript>[] = [];

beforeAll(async () => {
  database = await createSharedDatabaseUrl('webhook-crash');
  receiver = await Receiver.start();
  key = await withDatabase(
    database.url,
    async ({ db }) => {
      const user = await createUser(db, { email: 'crash@pulse.test', name: 'Crash' });
      if (!user.ok) throw new Error('no user');
      return (await createApiKey(db, { ownerId: user.value.id, name: 'crash' })).secret;
    },
    { migrate: true },
  );
});

afterAll(async () => {
  for (const server of servers) if (server.exitCode === null) server.kill('SIGKILL');
  await receiver?.close();
  await database?.drop();
});

async function startServer() {
  const server = runScript('src/main.ts', [], {
    DATABASE_URL: database.url,
    PORT: '0',
    DEMO: 'false',
    DASHBOARDS: 'false',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // A short timeout, so the lease of the killed instance's attempts (timeout + 5 s) ends soon.
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_CONCURRENCY: '3',
  });
  servers.push(server);
  const output = collectOutput(server);
  await waitFor(
    () => output.stdout.includes('Pulse is ready'),
    60_000,
    `startup: ${output.stderr}`,
  );
  const line = output.stdout.split('\n').find((entry) => entry.includes('Pulse is ready'))!;
  const url = `http://127.0.0.1:${JSON.parse(line).port}/graphql`;
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: any; errors?: unknown };
  };
  return { server, graphql };
}

describe('the outbox across kill -9', () => {
  it('loses no message when the delivering process dies mid-delivery; the receiver dedupes on webhook-id', async () => {
    const first = await startServer();
    const created = await first.graphql(
      `mutation ($url: String!) { createWebhookEndpoint(input: { url: $url }) { endpoint { id } secret } }`,
      { url: `${receiver.url}/hook` },
    );
    const { endpoint, secret } = created.data.createWebhookEndpoint;
    receiver.accept('/hook', secret);
    receiver.hold();
    for (let i = 0; i < MESSAGES; i++) {
      await first.graphql(
        `mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id } } }`,
        {
          id: endpoint.id,
        },
      );
    }
    // Three attempts are in flight (the concurrency), the rest wait in the outbox: now crash.
    await receiver.until(() => receiver.on('/hook').length >= 3);
    first.server.kill('SIGKILL');
    await exited(first.server);
    const beforeCrash = new Set(receiver.on('/hook').map((r) => String(r.headers['webhook-id'])));
    receiver.release();

    const second = await startServer();
    const received = () => receiver.on('/hook').map((r) => String(r.headers['webhook-id']));
    // The waiting ones at once; the ones in flight at the crash once their lease ended.
    await receiver.until(
      () =>
        new Set(received()).size === MESSAGES &&
        [...beforeCrash].every((id) => received().filter((r) => r === id).length >= 2),
      30_000,
    );
    let nodes: { webhookId: string; status: string }[] = [];
    for (
      let i = 0;
      i < 100 && !(nodes.length === MESSAGES && nodes.every((n) => n.status === 'SUCCEEDED'));
      i++
    ) {
      const log = await second.graphql(
        `query ($id: ID!) { webhookDeliveries(endpoint: $id, first: 100) { edges { node { webhookId status } } } }`,
        { id: endpoint.id },
      );
      nodes = log.data.webhookDeliveries.edges.map((edge: any) => edge.node);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Every message arrived and is SUCCEEDED; the ones in flight at the crash came again, same id.
    expect(nodes.map((n) => n.status)).toEqual(Array(MESSAGES).fill('SUCCEEDED'));
    expect(new Set(nodes.map((n) => n.webhookId))).toEqual(new Set(received()));
    expect(new Set(received()).size).toBe(MESSAGES);
    // At least the three held at the crash (one more may have arrived before the kill landed).
    expect(beforeCrash.size).toBeGreaterThanOrEqual(3);
    expect(receiver.rejected).toEqual([]);
    second.server.kill('SIGTERM');
    await exited(second.server);
  }, 120_000);
});

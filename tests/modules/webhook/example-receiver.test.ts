import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOutput, exited, runScript, waitFor } from '../../helpers/process.js';
import type { TestApp } from '../../helpers/test-app.js';
import { createEndpoint, startWebhookApp } from './helpers.js';

let t: TestApp;
let child: ReturnType<typeof runScript> | undefined;

beforeAll(async () => {
  t = await startWebhookApp();
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await exited(child);
  }
  await t?.close();
});

describe('client/examples/webhook-receiver.ts (the docs example)', () => {
  it('verifies real deliveries, skips a replay of the same webhook-id, refuses a forgery', async () => {
    const owner = await t.createViewer();
    // The secret first (the example needs it to start), the URL once the example listens.
    const endpoint = await createEndpoint(t, { url: 'http://127.0.0.1:9/placeholder' }, owner.key);
    child = runScript('client/examples/webhook-receiver.ts', [], {
      WEBHOOK_SECRET: endpoint.secret,
      PORT: '0',
    });
    const output = collectOutput(child);
    await waitFor(
      () => output.stdout.includes('listening on'),
      30_000,
      `example: ${output.stderr}`,
    );
    const url = /listening on (\S+)/.exec(output.stdout)![1]!;
    await t.graphql(
      `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { userErrors { code } } }`,
      { key: owner.key, variables: { input: { id: endpoint.id, url: `${url}/pulse` } } },
    );
    const send = async () => {
      const response = await t.graphql(
        `mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id webhookId } } }`,
        { key: owner.key, variables: { id: endpoint.id } },
      );
      return response.body.data.sendTestWebhook.delivery;
    };
    const first = await send();
    const second = await send();
    const lines = () => output.stdout.split('\n').filter((line) => line.startsWith('{'));
    await waitFor(() => lines().length === 2, 15_000, 'two events');
    await t.graphql(
      `mutation ($id: ID!) { replayWebhookDelivery(input: { id: $id }) { delivery { id } } }`,
      {
        key: owner.key,
        variables: { id: first.id },
      },
    );
    const forged = await fetch(`${url}/pulse`, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      },
      body: '{"type":"webhook.test","timestamp":"2030-01-01T00:00:00Z","data":{}}',
    });
    expect(forged.status).toBe(400);
    // The replay arrives (and is answered 204) but prints nothing: same webhook-id.
    await waitFor(
      () => t.app.services.webhooks.worker.stats().succeeded >= 3,
      15_000,
      'the replay to be delivered',
    );
    const events = lines().map((line) => JSON.parse(line));
    expect(events.map((event) => event.id)).toEqual([first.webhookId, second.webhookId]);
    expect(events[0]).toMatchObject({ type: 'webhook.test', data: { endpoint: endpoint.id } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/test-app.js';
import { createEndpoint, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

let t: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await startWebhookApp();
  receiver = await Receiver.start();
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe('webhook metrics', () => {
  it('counts attempts by result with their latency on /metrics, and the outbox on /ready', async () => {
    const owner = await t.createViewer();
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/m` }, owner.key);
    receiver.accept('/m', endpoint.secret);
    receiver.script('/m', { status: 500 });
    const send = () =>
      t.graphql(`mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id } } }`, {
        key: owner.key,
        variables: { id: endpoint.id },
      });
    await send();
    await send();
    await receiver.until(() => receiver.on('/m').length === 2);
    const metrics = async () => (await t.app.fetch('http://pulse.test/metrics')).text();
    await expect.poll(metrics).toMatch(/pulse_webhook_attempts_total\{result="succeeded"\} 1/);
    const body = await metrics();
    expect(body).toMatch(/pulse_webhook_attempts_total\{result="retrying"\} 1/);
    expect(body).toMatch(/pulse_webhook_attempt_duration_seconds_count 2/);
    expect(body).toMatch(/pulse_webhook_delivery_latency_seconds_count 1/);
    // The failed one waits 5 s for its retry: pending, not due (the count is cached for 1 s).
    await expect
      .poll(metrics, { timeout: 3000 })
      .toMatch(/pulse_webhook_outbox\{state="pending"\} 1/);
    expect(await metrics()).toMatch(/pulse_webhook_outbox\{state="due"\} 0/);

    const ready = await t.app.fetch('http://pulse.test/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      details: { webhookOutbox: { pending: 1, due: 0 } },
    });
  });
});

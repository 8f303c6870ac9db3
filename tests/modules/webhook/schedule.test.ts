import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationTable,
  webhookDeliveryTable,
  webhookEndpointTable,
} from '../../../src/db/schema.js';
import {
  MAX_ATTEMPTS,
  nextAttemptAt,
  outcomeOf,
  parseRetryAfter,
  RETRY_DELAYS_MS,
} from '../../../src/modules/webhook/schedule.js';
import {
  createWebhookServices,
  type WebhookServices,
} from '../../../src/modules/webhook/webhook.services.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';
import { createEndpoint, deliveries, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('retry schedule (pure)', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after 8 attempts', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const waits = [1, 2, 3, 4, 5, 6, 7].map(
      (attempts) => nextAttemptAt(attempts, now, null)!.getTime() - now.getTime(),
    );
    expect(waits).toEqual([
      5 * SECOND,
      300 * SECOND,
      1800 * SECOND,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(RETRY_DELAYS_MS[0]).toBe(0);
    expect(nextAttemptAt(8, now, null)).toBeNull();
  });

  it('honours a longer Retry-After (capped at a day), never a shorter one', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(nextAttemptAt(1, now, 60 * SECOND)!.getTime() - now.getTime()).toBe(60 * SECOND);
    expect(nextAttemptAt(4, now, 60 * SECOND)!.getTime() - now.getTime()).toBe(2 * HOUR);
    expect(nextAttemptAt(1, now, 9 * DAY)!.getTime() - now.getTime()).toBe(DAY);
    expect(parseRetryAfter('120', now)).toBe(120 * SECOND);
    expect(parseRetryAfter('Tue, 01 Jan 2030 01:00:00 GMT', now)).toBe(HOUR);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('counts any 2xx as success, 410 as gone, everything else (3xx too) as failure', () => {
    expect([200, 201, 204, 299].map(outcomeOf)).toEqual(Array(4).fill('succeeded'));
    expect(outcomeOf(410)).toBe('gone');
    expect([null, 301, 302, 304, 400, 404, 429, 500, 503].map(outcomeOf)).toEqual(
      Array(9).fill('failed'),
    );
  });
});

let t: TestApp;
let receiver: Receiver;
let webhooks: WebhookServices;
let owner: TestViewer;
/** The fake clock; never behind the real one, since deliveries are queued at real time. */
let clock = 0;

beforeAll(async () => {
  // The app's own worker is off: this suite's worker runs on a fake clock.
  t = await startWebhookApp({ WEBHOOK_CONCURRENCY: '0' });
  receiver = await Receiver.start({ anyTime: true });
  owner = await t.createViewer();
  webhooks = createWebhookServices({
    config: { ...t.config.webhooks, concurrency: 10 },
    db: t.database.db,
    logger: pino({ level: 'silent' }),
    worker: { now: () => new Date(clock), autoStart: false, pubsub: t.app.services.pubsub },
  });
});

afterAll(async () => {
  await webhooks?.stop();
  await t?.close();
  await receiver?.close();
});

async function endpointFor(path: string, events?: string[]) {
  const endpoint = await createEndpoint(
    t,
    { url: `${receiver.url}${path}`, ...(events ? { events } : {}) },
    owner.key,
  );
  receiver.accept(path, endpoint.secret);
  return endpoint;
}

async function sendTest(endpoint: string): Promise<string> {
  const response = await t.graphql(
    `mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id } userErrors { code } } }`,
    { key: owner.key, variables: { id: endpoint } },
  );
  clock = Math.max(clock, Date.now() + 1000);
  return response.body.data.sendTestWebhook.delivery.id;
}

const deliveryOf = async (endpoint: string, id: string) =>
  (await deliveries(t, { endpoint }, owner.key)).find((d) => d.id === id);

const endpointRow = async (url: string) =>
  (
    await t.database.db.select().from(webhookEndpointTable).where(eq(webhookEndpointTable.url, url))
  )[0]!;

describe('delivery on a fake clock', () => {
  it('retries failures on the schedule, then gives up (FAILED) after the 8th attempt', async () => {
    const endpoint = await endpointFor('/retry');
    receiver.script('/retry', ...Array.from({ length: 8 }, () => ({ status: 500 })));
    const id = await sendTest(endpoint.id);
    expect(await webhooks.worker.runDue()).toBe(1);
    const waits: number[] = [];
    for (let attempt = 2; attempt <= 8; attempt++) {
      const delivery = await deliveryOf(endpoint.id, id);
      const wait = Date.parse(delivery.nextAttemptAt) - clock;
      waits.push(wait);
      clock += wait - 1;
      expect(await webhooks.worker.runDue(), `not yet due before attempt ${attempt}`).toBe(0);
      clock += 1;
      expect(await webhooks.worker.runDue(), `attempt ${attempt}`).toBe(1);
    }
    expect(waits).toEqual(RETRY_DELAYS_MS.slice(1));
    const delivery = await deliveryOf(endpoint.id, id);
    expect(delivery).toMatchObject({
      status: 'FAILED',
      attemptCount: 8,
      nextAttemptAt: null,
      lastStatusCode: 500,
    });
    expect(delivery.attempts.map((a: any) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(receiver.on('/retry')).toHaveLength(8);
    expect(new Set(receiver.on('/retry').map((r) => r.headers['webhook-id'])).size).toBe(1);
    clock += 11 * HOUR;
    expect(await webhooks.worker.runDue()).toBe(0);
    // About 27.6 hours of failures: not yet the 5 days that disable an endpoint.
    const row = await endpointRow(`${receiver.url}/retry`);
    expect(row.disabledAt).toBeNull();
    expect(row.failingSince).not.toBeNull();
  });

  it('honours Retry-After and treats a redirect as a failure without following it', async () => {
    const endpoint = await endpointFor('/later');
    receiver.script(
      '/later',
      { status: 503, headers: { 'retry-after': '3600' } },
      { status: 302, headers: { location: `${receiver.url}/elsewhere` } },
    );
    receiver.accept('/elsewhere', endpoint.secret);
    const id = await sendTest(endpoint.id);
    await webhooks.worker.runDue();
    let delivery = await deliveryOf(endpoint.id, id);
    expect(Date.parse(delivery.nextAttemptAt) - clock).toBe(HOUR);
    clock += HOUR;
    await webhooks.worker.runDue();
    delivery = await deliveryOf(endpoint.id, id);
    expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 2, lastStatusCode: 302 });
    expect(receiver.on('/elsewhere')).toEqual([]);
    clock += 5 * 60 * SECOND;
    await webhooks.worker.runDue();
    delivery = await deliveryOf(endpoint.id, id);
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3, lastStatusCode: 204 });
    expect((await endpointRow(`${receiver.url}/later`)).failingSince).toBeNull();
  });

  it('disables an endpoint at once on 410 Gone, and tells the owner', async () => {
    const announced: string[] = [];
    const listener = t.app.services.pubsub.subscribe('notification:created', owner.userId);
    void (async () => {
      for await (const { notificationId } of listener) announced.push(notificationId);
    })();
    await endpointFor('/watcher', ['WEBHOOK_ENDPOINT_DISABLED']);
    const endpoint = await endpointFor('/gone');
    receiver.script('/gone', { status: 410 });
    const id = await sendTest(endpoint.id);
    await webhooks.worker.runDue();
    const row = await endpointRow(`${receiver.url}/gone`);
    expect(row.disabledReason).toBe('gone');
    expect(row.disabledAt).not.toBeNull();
    expect(await deliveryOf(endpoint.id, id)).toMatchObject({
      status: 'FAILED',
      attemptCount: 1,
      nextAttemptAt: null,
      lastStatusCode: 410,
    });
    // A disabled endpoint is queued nothing, and nothing is attempted.
    const refused = await t.graphql(
      `mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { userErrors { code } } }`,
      { key: owner.key, variables: { id: endpoint.id } },
    );
    expect(refused.body.data.sendTestWebhook.userErrors).toEqual([{ code: 'INVALID_STATUS' }]);
    clock += DAY;
    await webhooks.worker.runDue();
    expect(receiver.on('/gone')).toHaveLength(1);
    const disabled = receiver
      .on('/watcher')
      .filter((r) => r.message.type === 'webhook.endpoint.disabled');
    expect(disabled.map((r) => r.message.data)).toEqual([
      { endpoint: { id: endpoint.id, url: `${receiver.url}/gone` }, reason: 'GONE' },
    ]);
    const notes = await t.database.db
      .select()
      .from(notificationTable)
      .where(eq(notificationTable.kind, 'webhook_endpoint_disabled'));
    expect(notes.map((n) => n.data)).toContainEqual({
      endpointId: row.id,
      url: `${receiver.url}/gone`,
      reason: 'gone',
    });
    // Announced live to `notificationReceived`, once, after the transaction that stored it.
    const note = notes.find((n) => n.data['endpointId'] === row.id)!;
    await expect.poll(() => announced).toEqual([note.id]);
    await listener.return?.();
  });

  it('disables an endpoint whose attempts all failed for 5 days', async () => {
    const endpoint = await endpointFor('/down');
    receiver.script('/down', ...Array.from({ length: 50 }, () => ({ status: 500 })));
    await sendTest(endpoint.id);
    await webhooks.worker.runDue();
    const started = clock;
    for (const day of [1, 2, 3, 4]) {
      clock = started + day * DAY;
      await sendTest(endpoint.id);
      await webhooks.worker.runDue();
      expect((await endpointRow(`${receiver.url}/down`)).disabledAt, `day ${day}`).toBeNull();
    }
    clock = started + 5 * DAY;
    await sendTest(endpoint.id);
    await webhooks.worker.runDue();
    const row = await endpointRow(`${receiver.url}/down`);
    expect(row.disabledReason).toBe('failing');
    expect(row.disabledAt!.getTime()).toBe(clock);
    const note = await t.database.db
      .select()
      .from(notificationTable)
      .where(eq(notificationTable.kind, 'webhook_endpoint_disabled'));
    expect(note.map((n) => (n.data as { reason: string }).reason)).toContain('failing');
    const pending = await t.database.db
      .select()
      .from(webhookDeliveryTable)
      .where(eq(webhookDeliveryTable.endpointId, row.id));
    expect(pending.some((d) => d.status === 'pending')).toBe(true);
  });

  it('signs with the old and the new secret during the grace period, then only the new', async () => {
    const endpoint = await endpointFor('/rotate');
    const rotated = await t.graphql(
      `mutation ($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret endpoint { previousSecretExpiresAt } } }`,
      { key: owner.key, variables: { id: endpoint.id } },
    );
    const fresh = rotated.body.data.rotateWebhookSecret.secret as string;
    const graceEnds = Date.parse(
      rotated.body.data.rotateWebhookSecret.endpoint.previousSecretExpiresAt,
    );
    receiver.accept('/rotate', fresh);
    // Back to the real time (the grace period started now): earlier cases moved the clock ahead.
    clock = Date.now() + 1000;
    await sendTest(endpoint.id);
    await webhooks.worker.runDue();
    const during = receiver.on('/rotate')[0]!;
    expect(during.signatures).toBe(2);
    expect(signedBy(endpoint.secret, during)).toBe(true);
    expect(signedBy(fresh, during)).toBe(true);

    clock = graceEnds + 1;
    await sendTest(endpoint.id);
    await webhooks.worker.runDue();
    const after = receiver.on('/rotate')[1]!;
    expect(after.signatures).toBe(1);
    expect(signedBy(fresh, after)).toBe(true);
    expect(signedBy(endpoint.secret, after)).toBe(false);
  });
});

describe('several workers over one database', () => {
  it('never make one attempt twice (FOR UPDATE SKIP LOCKED and the lease)', async () => {
    const endpoint = await endpointFor('/shared');
    const others = [1, 2].map(() =>
      createWebhookServices({
        config: { ...t.config.webhooks, concurrency: 4 },
        db: t.database.db,
        logger: pino({ level: 'silent' }),
        worker: { now: () => new Date(clock), autoStart: false },
      }),
    );
    try {
      const ids = [];
      for (let i = 0; i < 30; i++) ids.push(await sendTest(endpoint.id));
      const counts = await Promise.all([webhooks, ...others].map((w) => w.worker.runDue()));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
      const received = receiver.on('/shared').map((r) => r.headers['webhook-id']);
      expect(received).toHaveLength(30);
      expect(new Set(received).size).toBe(30);
      const log = await deliveries(t, { endpoint: endpoint.id }, owner.key);
      expect(log.map((d) => [d.status, d.attemptCount])).toEqual(Array(30).fill(['SUCCEEDED', 1]));
    } finally {
      await Promise.all(others.map((w) => w.stop()));
    }
  });
});

/** Whether one of the request's `v1,` signatures is the secret's (standardwebhooks signs it). */
function signedBy(secret: string, request: { headers: Record<string, unknown>; body: string }) {
  const at = new Date(Number(request.headers['webhook-timestamp']) * 1000);
  const expected = new Webhook(secret).sign(
    String(request.headers['webhook-id']),
    at,
    request.body,
  );
  return String(request.headers['webhook-signature']).split(' ').includes(expected);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWebhookEvent } from '../../../src/modules/webhook/events.js';
import { createNotifier } from '../../../src/modules/notification/notifier.js';
import { createPulsePubSub } from '../../../src/lib/pubsub.js';
import { seedAccount, type SeededAccount } from '../../helpers/seed.js';
import type { TestApp } from '../../helpers/test-app.js';
import { createEndpoint, deliveries, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

let t: TestApp;
let receiver: Receiver;
let owner: SeededAccount;

beforeAll(async () => {
  t = await startWebhookApp();
  receiver = await Receiver.start();
  owner = await seedAccount(t, {
    plan: 'enterprise',
    channels: ['youtube', 'tiktok'],
    videos: [{ title: 'Launch' }],
  });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const messages = (path: string, type: string) =>
  receiver.on(path).filter((r) => r.message.type === type);

describe('events from the API', () => {
  it('sends video, processing and API key events, signed, with their documented shapes', async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/all` }, owner.key);
    receiver.accept('/all', endpoint.secret);

    const created = await t.graphql(
      `mutation { createVideo(input: { title: "Clip", url: "https://media.pulse.test/c.mp4" }) { video { id } userErrors { code } } }`,
      { key: owner.key },
    );
    const videoId = created.body.data.createVideo.video.id as string;
    await t.graphql(
      `mutation ($id: ID!) { updateVideoProcessing(input: { id: $id, status: PROCESSING, progress: 10 }) { userErrors { code } } }`,
      { key: owner.key, variables: { id: videoId } },
    );
    await t.graphql(
      `mutation ($id: ID!) { updateVideoProcessing(input: { id: $id, status: READY }) { userErrors { code } } }`,
      { key: owner.key, variables: { id: videoId } },
    );
    const published = await t.graphql(
      `mutation ($id: ID!) { publishVideo(input: { id: $id, platforms: [YOUTUBE, TIKTOK] }) { userErrors { code } } }`,
      { key: owner.key, variables: { id: videoId } },
    );
    expect(published.body.data.publishVideo.userErrors).toEqual([]);
    const key = await t.graphql(
      `mutation { createApiKey(input: { name: "ci", scopes: [READ_USER] }) { apiKey { id prefix } } }`,
      { key: owner.key },
    );
    const apiKey = key.body.data.createApiKey.apiKey;
    await t.graphql(`mutation ($id: ID!) { rotateApiKey(input: { id: $id }) { secret } }`, {
      key: owner.key,
      variables: { id: apiKey.id },
    });
    await t.graphql(
      `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { status } } }`,
      {
        key: owner.key,
        variables: { id: apiKey.id },
      },
    );
    await t.graphql(
      `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { status } } }`,
      {
        key: owner.key,
        variables: { id: apiKey.id },
      },
    );
    await t.graphql(`mutation ($id: ID!) { deleteVideo(input: { id: $id }) { deletedVideoId } }`, {
      key: owner.key,
      variables: { id: videoId },
    });

    const types = [
      'video.processing.completed',
      'video.published',
      'api_key.rotated',
      'api_key.revoked',
      'video.deleted',
    ];
    await receiver.until(() => types.every((type) => messages('/all', type).length > 0));
    expect(receiver.rejected).toEqual([]);
    const video = { id: videoId, title: 'Clip' };
    const [completed] = messages('/all', 'video.processing.completed');
    expect(completed!.message.data).toEqual({
      video,
      status: 'READY',
      progress: 100,
      at: expect.any(String),
    });
    expect(messages('/all', 'video.published')[0]!.message.data).toEqual({
      video,
      platforms: ['YOUTUBE', 'TIKTOK'],
      publishedAt: expect.any(String),
    });
    expect(messages('/all', 'api_key.rotated')[0]!.message.data).toEqual({
      apiKey: { id: apiKey.id, name: 'ci', prefix: apiKey.prefix },
      previousSecretExpiresAt: expect.any(String),
    });
    // Revoking twice is one event.
    expect(messages('/all', 'api_key.revoked')).toHaveLength(1);
    expect(messages('/all', 'video.deleted')[0]!.message.data).toEqual({ video });
    expect(messages('/all', 'video.processing.failed')).toEqual([]);
    for (const received of receiver.on('/all')) {
      expect(received.headers['webhook-id']).toMatch(/^msg_/);
      expect(received.headers['content-type']).toBe('application/json');
      expect(Date.parse(received.message.timestamp)).not.toBeNaN();
    }
  });

  it('sends only the chosen event types, and only what the creating credentials may read', async () => {
    const chosen = await createEndpoint(
      t,
      { url: `${receiver.url}/chosen`, events: ['VIDEO_DELETED'] },
      owner.key,
    );
    receiver.accept('/chosen', chosen.secret);
    const weakKey = await t.graphql(
      `mutation { createApiKey(input: { name: "hooks", scopes: [MANAGE_WEBHOOKS, READ_USER] }) { secret } }`,
      { key: owner.key },
    );
    const weak = await createEndpoint(
      t,
      { url: `${receiver.url}/weak` },
      weakKey.body.data.createApiKey.secret,
    );
    receiver.accept('/weak', weak.secret);

    const created = await t.graphql(
      `mutation { createVideo(input: { title: "Gone soon", url: "https://media.pulse.test/g.mp4" }) { video { id } } }`,
      { key: owner.key },
    );
    const videoId = created.body.data.createVideo.video.id;
    await t.graphql(
      `mutation ($id: ID!) { publishVideo(input: { id: $id, platforms: [YOUTUBE] }) { userErrors { code } } }`,
      { key: owner.key, variables: { id: videoId } },
    );
    await t.graphql(`mutation ($id: ID!) { deleteVideo(input: { id: $id }) { deletedVideoId } }`, {
      key: owner.key,
      variables: { id: videoId },
    });
    const key = await t.graphql(
      `mutation { createApiKey(input: { name: "x" }) { apiKey { id } } }`,
      {
        key: owner.key,
      },
    );
    await t.graphql(`mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }`, {
      key: owner.key,
      variables: { id: key.body.data.createApiKey.apiKey.id },
    });
    await receiver.until(
      () =>
        messages('/chosen', 'video.deleted').length === 1 &&
        messages('/weak', 'api_key.revoked').length === 1,
    );
    // Everything queued is sent by now (the outbox is empty), so absence means never.
    await waitForEmptyOutbox();
    expect(receiver.on('/chosen').map((r) => r.message.type)).toEqual(['video.deleted']);
    // The weak endpoint's credentials could not read videos: no video events reach it.
    expect(receiver.on('/weak').map((r) => r.message.type)).toEqual(['api_key.revoked']);
  });

  it('queues nothing for a change that rolls back, and delivers a committed one', async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/tx` }, owner.key);
    receiver.accept('/tx', endpoint.secret);
    const event = (marker: string) => ({
      ownerId: owner.userId,
      type: 'video.deleted' as const,
      scope: 'read:videos' as const,
      data: { video: { id: marker, title: marker } },
    });
    await expect(
      t.database.db.transaction(async (tx) => {
        await emitWebhookEvent(tx, event('rolled-back'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await t.database.db.transaction((tx) => emitWebhookEvent(tx, event('committed')));
    await receiver.until(() => receiver.on('/tx').length === 1);
    await waitForEmptyOutbox();
    expect(receiver.on('/tx').map((r) => r.message.data.video.id)).toEqual(['committed']);
  });

  it('sends milestones and viral spikes once each, from the notifier', async () => {
    const endpoint = await createEndpoint(
      t,
      { url: `${receiver.url}/alerts`, events: ['VIDEO_VIEWS_MILESTONE', 'VIDEO_VIRAL'] },
      owner.key,
    );
    receiver.accept('/alerts', endpoint.secret);
    const pubsub = createPulsePubSub();
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const notifier = createNotifier({
      db: t.database.db,
      pubsub,
      viral: { windowMinutes: 5, baselineMinutes: 10, factor: 3, minViews: 100 },
      now: () => clock,
    });
    const video = owner.videos[0]!;
    const commit = (views: number, total: number, at: number) =>
      pubsub.publish('metrics:committed', {
        videos: [
          {
            videoId: video.id,
            ownerId: owner.userId,
            totals: { ...zero(), views: total },
            deltas: { ...zero(), views },
            at: new Date(at).toISOString(),
          },
        ],
      });
    clock += 16 * 60_000;
    commit(1500, 1500, clock);
    commit(10, 1510, clock + 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await notifier.stop();
    await receiver.until(() => receiver.on('/alerts').length === 2);
    await waitForEmptyOutbox();
    const byType = Object.fromEntries(
      receiver.on('/alerts').map((r) => [r.message.type, r.message.data]),
    );
    expect(byType['video.views.milestone']).toEqual({
      video: { id: video.globalId, title: 'Launch' },
      milestone: 1000,
      views: 1500,
    });
    expect(byType['video.viral']).toMatchObject({
      video: { id: video.globalId, title: 'Launch' },
      views: 1500,
      windowMinutes: 5,
    });
  });

  it('keeps a log of every attempt, and replays with the same webhook-id', async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/log` }, owner.key);
    receiver.accept('/log', endpoint.secret);
    receiver.script('/log', { status: 500, body: 'x'.repeat(5000) });
    const sent = await t.graphql(
      `mutation ($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id webhookId } } }`,
      { key: owner.key, variables: { id: endpoint.id } },
    );
    const { id, webhookId } = sent.body.data.sendTestWebhook.delivery;
    await receiver.until(() => receiver.on('/log').length === 1);
    let [delivery] = await waitForDelivery(endpoint.id, (d) => d.attemptCount === 1);
    expect(delivery).toMatchObject({
      id,
      webhookId,
      eventType: 'WEBHOOK_TEST',
      status: 'PENDING',
      lastStatusCode: 500,
    });
    expect(Date.parse(delivery.nextAttemptAt) - Date.now()).toBeGreaterThan(0);
    const [attempt] = delivery.attempts;
    expect(attempt.statusCode).toBe(500);
    expect(attempt.responseExcerpt).toBe('x'.repeat(1024));
    const headers = Object.fromEntries(attempt.requestHeaders.map((h: any) => [h.name, h.value]));
    expect(headers['webhook-id']).toBe(webhookId);
    expect(headers['webhook-signature']).toBe(receiver.on('/log')[0]!.headers['webhook-signature']);
    expect(JSON.parse(delivery.requestBody)).toEqual(receiver.on('/log')[0]!.message);

    const replayed = await t.graphql(
      `mutation ($id: ID!) { replayWebhookDelivery(input: { id: $id }) { delivery { id webhookId replayOf { id } } userErrors { code } } }`,
      { key: owner.key, variables: { id } },
    );
    const copy = replayed.body.data.replayWebhookDelivery.delivery;
    expect(copy).toMatchObject({ webhookId, replayOf: { id } });
    await receiver.until(() => receiver.on('/log').length === 2);
    expect(receiver.on('/log')[1]!.headers['webhook-id']).toBe(webhookId);
    expect(receiver.on('/log')[1]!.body).toBe(receiver.on('/log')[0]!.body);
    [delivery] = await waitForDelivery(
      endpoint.id,
      (d) => d.id === copy.id && d.status === 'SUCCEEDED',
    );
    expect(delivery.attempts.map((a: any) => a.statusCode)).toEqual([204]);
    const filtered = await deliveries(
      t,
      { endpoint: endpoint.id, status: ['SUCCEEDED'] },
      owner.key,
    );
    expect(filtered.map((d) => d.id)).toEqual([copy.id]);
  });
});

function zero() {
  return {
    views: 0,
    likes: 0,
    shares: 0,
    comments: 0,
    saves: 0,
    clicks: 0,
    impressions: 0,
    reach: 0,
    watchSeconds: 0,
  };
}

/** Waits until no delivery is due (pending ones are retries scheduled for later). */
async function waitForEmptyOutbox() {
  const { outboxDepth } = await import('../../../src/modules/webhook/delivery.service.js');
  for (let i = 0; i < 100; i++) {
    const depth = await outboxDepth(t.database.db, new Date(Date.now() + 1000));
    if (depth.due === 0 && t.app.services.webhooks.worker.stats().inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('outbox did not drain');
}

async function waitForDelivery(endpoint: string, check: (delivery: any) => boolean) {
  for (let i = 0; i < 100; i++) {
    const found = (await deliveries(t, { endpoint }, owner.key)).filter(check);
    if (found.length > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no such delivery');
}

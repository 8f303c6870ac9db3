import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../../src/modules/auth/scopes.js';
import { recordInstall, registerApp } from '../../../src/modules/oauth-app/oauth-app.service.js';
import { outboxDepth } from '../../../src/modules/webhook/delivery.service.js';
import { seedAccount, type SeededAccount } from '../../helpers/seed.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';
import { CREATE, createEndpoint, deliveries, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

let t: TestApp;
let receiver: Receiver;
let developer: TestViewer;
let user: SeededAccount;
let stranger: SeededAccount;
let appId: string;
let appGlobalId: string;

beforeAll(async () => {
  t = await startWebhookApp();
  receiver = await Receiver.start();
  developer = await t.createViewer({ plan: 'enterprise' });
  user = await seedAccount(t, {
    plan: 'enterprise',
    channels: ['youtube'],
    videos: [{ title: 'Mine' }],
  });
  stranger = await seedAccount(t, {
    plan: 'enterprise',
    channels: ['youtube'],
    videos: [{ title: 'Theirs' }],
  });
  const registered = await registerApp(
    t.database.db,
    { ownerId: developer.userId, scopes: new Set(SCOPES) },
    {
      name: 'Scheduler',
      category: 'automation',
      redirectUris: ['https://app.example.com/cb'],
      scopes: ['read:user', 'read:videos'],
    },
    { autoApprove: true },
  );
  if (!registered.ok) throw new Error(JSON.stringify(registered.errors));
  appId = registered.value.app.id;
  appGlobalId = encodeGlobalID('App', appId);
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

async function settle() {
  for (let i = 0; i < 200; i++) {
    const depth = await outboxDepth(t.database.db, new Date(Date.now() + 1000));
    if (depth.due === 0 && t.app.services.webhooks.worker.stats().inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('outbox did not drain');
}

const rotateKey = async (account: TestViewer) => {
  const created = await t.graphql(
    `mutation { createApiKey(input: { name: "k", scopes: [READ_USER] }) { apiKey { id } } }`,
    {
      key: account.key,
    },
  );
  await t.graphql(`mutation ($id: ID!) { rotateApiKey(input: { id: $id }) { secret } }`, {
    key: account.key,
    variables: { id: created.body.data.createApiKey.apiKey.id },
  });
};

const deleteVideo = (account: SeededAccount) =>
  t.graphql(`mutation ($id: ID!) { deleteVideo(input: { id: $id }) { deletedVideoId } }`, {
    key: account.key,
    variables: { id: account.videos[0]!.globalId },
  });

describe("an app's webhook endpoint", () => {
  it('needs one of your own apps, whose scopes your credentials hold', async () => {
    const other = await t.createViewer();
    const response = await t.graphql(CREATE, {
      key: other.key,
      variables: { input: { url: `${receiver.url}/x`, app: appGlobalId } },
    });
    expect(response.body.data.createWebhookEndpoint.userErrors).toEqual([
      { field: ['input', 'app'], code: 'NOT_FOUND', message: 'No such app (or it is not yours).' },
    ]);
    const hooksOnly = await t.graphql(
      `mutation { createApiKey(input: { name: "h", scopes: [MANAGE_WEBHOOKS] }) { secret } }`,
      { key: developer.key },
    );
    const weak = await t.graphql(CREATE, {
      key: hooksOnly.body.data.createApiKey.secret,
      variables: { input: { url: `${receiver.url}/x`, app: appGlobalId } },
    });
    expect(weak.body.data.createWebhookEndpoint.userErrors[0].code).toBe('INSUFFICIENT_SCOPE');
  });

  it("receives installing accounts' events within each grant, and nothing else", async () => {
    const appEndpoint = await createEndpoint(
      t,
      { url: `${receiver.url}/app`, app: appGlobalId },
      developer.key,
    );
    receiver.accept('/app', appEndpoint.secret);
    const own = await createEndpoint(t, { url: `${receiver.url}/user` }, user.key);
    receiver.accept('/user', own.secret);

    // The user grants read:user only (not read:videos).
    await recordInstall(t.database.db, { appId, userId: user.userId, scopes: ['read:user'] });
    await settle();
    expect(receiver.on('/app').map((r) => r.message.type)).toEqual(['app.installed']);
    expect(receiver.on('/app')[0]!.message.data).toEqual({
      app: { id: appGlobalId, name: 'Scheduler', clientId: expect.stringMatching(/^app_/) },
      scopes: ['read:user'],
    });
    expect(receiver.on('/user').map((r) => r.message.type)).toEqual(['app.installed']);

    await rotateKey(user);
    await deleteVideo(user);
    await rotateKey(stranger);
    await deleteVideo(stranger);
    await rotateKey(developer);
    await settle();
    // Only the installing user's event its grant may read.
    expect(receiver.on('/app').map((r) => r.message.type)).toEqual([
      'app.installed',
      'api_key.rotated',
    ]);
    expect(
      receiver
        .on('/user')
        .map((r) => r.message.type)
        .sort(),
    ).toEqual(['api_key.rotated', 'app.installed', 'video.deleted'].sort());

    // Consenting again with the same scopes is no new install; widening is.
    await recordInstall(t.database.db, { appId, userId: user.userId, scopes: ['read:user'] });
    await recordInstall(t.database.db, { appId, userId: user.userId, scopes: ['read:videos'] });
    await settle();
    const installs = receiver.on('/app').filter((r) => r.message.type === 'app.installed');
    expect(installs.map((r) => r.message.data.scopes)).toEqual([
      ['read:user'],
      ['read:user', 'read:videos'],
    ]);

    const uninstalled = await t.graphql(
      `mutation ($id: ID!) { uninstallApp(input: { appId: $id }) { userErrors { code } } }`,
      { key: user.key, variables: { id: appGlobalId } },
    );
    expect(uninstalled.body.data.uninstallApp.userErrors).toEqual([]);
    await rotateKey(user);
    await settle();
    const types = receiver.on('/app').map((r) => r.message.type);
    expect(types.at(-1)).toBe('app.uninstalled');
    expect(types.filter((type) => type === 'api_key.rotated')).toHaveLength(1);
    expect(receiver.rejected).toEqual([]);

    // The developer sees the app endpoint's log; the user does not.
    expect((await deliveries(t, { endpoint: appEndpoint.id }, developer.key)).length).toBe(
      types.length,
    );
    expect(await deliveries(t, { endpoint: appEndpoint.id }, user.key)).toEqual([]);
  });
});

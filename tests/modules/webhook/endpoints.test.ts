import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEndpointTable } from '../../../src/db/schema.js';
import type { TestApp, TestViewer } from '../../helpers/test-app.js';
import { CREATE, createEndpoint, deliveries, ENDPOINT_FIELDS, startWebhookApp } from './helpers.js';
import { Receiver } from './receiver.js';

let t: TestApp;
let receiver: Receiver;
let alice: TestViewer;
let bob: TestViewer;

beforeAll(async () => {
  t = await startWebhookApp();
  receiver = await Receiver.start();
  alice = await t.createViewer();
  bob = await t.createViewer();
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const UPDATE = `mutation ($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT_FIELDS} } userErrors { field code message } }
}`;
const ROTATE = `mutation ($id: ID!) {
  rotateWebhookSecret(input: { id: $id }) { endpoint { id rotatedAt previousSecretExpiresAt } secret userErrors { code } }
}`;
const DISABLE = `mutation ($id: ID!) {
  disableWebhookEndpoint(input: { id: $id }) { endpoint { id status disabledReason } userErrors { code } }
}`;
const ENABLE = `mutation ($id: ID!) {
  enableWebhookEndpoint(input: { id: $id }) { endpoint { id status disabledReason } userErrors { code } }
}`;
const DELETE = `mutation ($id: ID!) {
  deleteWebhookEndpoint(input: { id: $id }) { deletedEndpointId userErrors { code } }
}`;
const TEST = `mutation ($id: ID!) {
  sendTestWebhook(input: { id: $id }) { delivery { id webhookId status eventType } userErrors { code } }
}`;
const REPLAY = `mutation ($id: ID!) {
  replayWebhookDelivery(input: { id: $id }) { delivery { id webhookId } userErrors { code } }
}`;
const LIST = `{ webhookEndpoints(first: 100) { totalCount edges { node { id url } } } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on WebhookEndpoint { url } ... on WebhookDelivery { requestBody } } }`;

describe('webhook endpoints', () => {
  it('creates an endpoint and shows its secret once, stored encrypted', async () => {
    const response = await t.graphql(CREATE, {
      key: alice.key,
      variables: {
        input: {
          url: `${receiver.url}/a`,
          events: ['VIDEO_PUBLISHED', 'VIDEO_DELETED', 'VIDEO_PUBLISHED'],
          description: 'mine',
        },
      },
    });
    const payload = response.body.data.createWebhookEndpoint;
    expect(payload.userErrors).toEqual([]);
    expect(payload.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(payload.endpoint).toMatchObject({
      url: `${receiver.url}/a`,
      description: 'mine',
      events: ['VIDEO_PUBLISHED', 'VIDEO_DELETED'],
      status: 'ENABLED',
      app: null,
    });
    expect(payload.endpoint.scopes).toContain('READ_VIDEOS');
    const [row] = await t.database.db.select().from(webhookEndpointTable);
    expect(row!.secret.startsWith('v1:')).toBe(true);
    expect(row!.secret).not.toContain(payload.secret.slice(6, 20));
    // No field returns it again.
    const listed = await t.graphql(`{ webhookEndpoints { edges { node { id } } } }`, {
      key: alice.key,
    });
    expect(JSON.stringify(listed.body)).not.toContain(payload.secret);
  });

  it('refuses URLs it must not call, with a clear user error', async () => {
    const cases: [string, string][] = [
      ['ftp://example.com/hook', 'must be an http or https URL'],
      ['https://user:pw@example.com/hook', 'must not contain credentials'],
      ['https://example.com/hook#x', 'must not contain a #fragment'],
      ['http://10.0.0.8/hook', 'must not point at a private, loopback or local address'],
      [
        'http://169.254.169.254/latest/meta-data',
        'must not point at a private, loopback or local address',
      ],
      ['http://[::1]:8080/hook', 'must not point at a private, loopback or local address'],
      ['http://localhost:8080/hook', 'must name a public host'],
      ['not a url', 'must be an absolute URL'],
    ];
    for (const [url, message] of cases) {
      const response = await t.graphql(CREATE, { key: alice.key, variables: { input: { url } } });
      expect(response.status, url).toBe(200);
      const payload = response.body.data.createWebhookEndpoint;
      expect(payload.endpoint, url).toBeNull();
      expect(payload.secret, url).toBeNull();
      expect(payload.userErrors, url).toEqual([
        { field: ['input', 'url'], code: 'INVALID', message },
      ]);
    }
  });

  it('updates, disables, enables and rotates', async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/b` }, alice.key);
    const updated = await t.graphql(UPDATE, {
      key: alice.key,
      variables: {
        input: { id: endpoint.id, url: `${receiver.url}/b2`, events: ['API_KEY_ROTATED'] },
      },
    });
    expect(updated.body.data.updateWebhookEndpoint.endpoint).toMatchObject({
      url: `${receiver.url}/b2`,
      events: ['API_KEY_ROTATED'],
    });
    const refused = await t.graphql(UPDATE, {
      key: alice.key,
      variables: { input: { id: endpoint.id, url: 'http://192.168.1.1/' } },
    });
    expect(refused.body.data.updateWebhookEndpoint.userErrors[0]).toMatchObject({
      field: ['input', 'url'],
      code: 'INVALID',
    });

    const disabled = await t.graphql(DISABLE, { key: alice.key, variables: { id: endpoint.id } });
    expect(disabled.body.data.disableWebhookEndpoint.endpoint).toMatchObject({
      status: 'DISABLED',
      disabledReason: 'MANUAL',
    });
    const test = await t.graphql(TEST, { key: alice.key, variables: { id: endpoint.id } });
    expect(test.body.data.sendTestWebhook.userErrors).toEqual([{ code: 'INVALID_STATUS' }]);
    const enabled = await t.graphql(ENABLE, { key: alice.key, variables: { id: endpoint.id } });
    expect(enabled.body.data.enableWebhookEndpoint.endpoint).toMatchObject({
      status: 'ENABLED',
      disabledReason: null,
    });

    const rotated = await t.graphql(ROTATE, { key: alice.key, variables: { id: endpoint.id } });
    const payload = rotated.body.data.rotateWebhookSecret;
    expect(payload.secret).toMatch(/^whsec_/);
    expect(payload.secret).not.toBe(endpoint.secret);
    expect(Date.parse(payload.endpoint.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
  });

  it('needs manage:webhooks on every field (INSUFFICIENT_SCOPE)', async () => {
    const weak = await t.createViewer({ scopes: ['read:user', 'read:videos'] });
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/c` }, alice.key);
    const operations: [string, Record<string, unknown>][] = [
      [LIST, {}],
      [`{ webhookEventTypes { name } }`, {}],
      [`{ webhookDeliveries { totalCount } }`, {}],
      [CREATE, { input: { url: `${receiver.url}/x` } }],
      [ROTATE, { id: endpoint.id }],
      [DISABLE, { id: endpoint.id }],
      [DELETE, { id: endpoint.id }],
      [TEST, { id: endpoint.id }],
    ];
    for (const [query, variables] of operations) {
      const response = await t.graphql(query, { key: weak.key, variables });
      expect(response.body.errors?.[0]?.extensions?.code, query).toBe('INSUFFICIENT_SCOPE');
    }
  });

  it("treats another account's endpoints and deliveries as not found (IDOR)", async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/d` }, alice.key);
    receiver.accept('/d', endpoint.secret);
    const test = await t.graphql(TEST, { key: alice.key, variables: { id: endpoint.id } });
    const delivery = test.body.data.sendTestWebhook.delivery;
    expect(delivery).toMatchObject({
      eventType: 'WEBHOOK_TEST',
      webhookId: expect.stringMatching(/^msg_/),
    });

    for (const query of [ROTATE, DISABLE, ENABLE, DELETE, TEST]) {
      const response = await t.graphql(query, { key: bob.key, variables: { id: endpoint.id } });
      const payload = Object.values(response.body.data as Record<string, any>)[0];
      expect(payload.userErrors, query).toEqual([{ code: 'NOT_FOUND' }]);
    }
    const update = await t.graphql(UPDATE, {
      key: bob.key,
      variables: { input: { id: endpoint.id, description: 'mine now' } },
    });
    expect(update.body.data.updateWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
    const replay = await t.graphql(REPLAY, { key: bob.key, variables: { id: delivery.id } });
    expect(replay.body.data.replayWebhookDelivery.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    for (const id of [endpoint.id, delivery.id]) {
      const node = await t.graphql(NODE, { key: bob.key, variables: { id } });
      expect(node.body.data.node).toBeNull();
    }
    expect(await deliveries(t, {}, bob.key)).toEqual([]);
    expect(await deliveries(t, { endpoint: endpoint.id }, bob.key)).toEqual([]);
    const listed = await t.graphql(LIST, { key: bob.key });
    expect(listed.body.data.webhookEndpoints.totalCount).toBe(0);
    const [row] = await t.database.db
      .select()
      .from(webhookEndpointTable)
      .where(eq(webhookEndpointTable.url, `${receiver.url}/d`));
    expect(row!.description).toBe('');
    // The owner sees both.
    expect(
      (await t.graphql(NODE, { key: alice.key, variables: { id: delivery.id } })).body.data.node,
    ).toMatchObject({ id: delivery.id });
  });

  it('keeps a weaker credential away from endpoints created with more scopes', async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/e` }, alice.key);
    receiver.accept('/e', endpoint.secret);
    const test = await t.graphql(TEST, { key: alice.key, variables: { id: endpoint.id } });
    expect(test.body.data.sendTestWebhook.userErrors).toEqual([]);
    const weak = await t.graphql(
      `mutation { createApiKey(input: { name: "hooks only", scopes: [MANAGE_WEBHOOKS] }) { secret } }`,
      { key: alice.key },
    );
    const hooksOnly = weak.body.data.createApiKey.secret as string;
    for (const query of [ROTATE, DISABLE, DELETE, TEST]) {
      const response = await t.graphql(query, { key: hooksOnly, variables: { id: endpoint.id } });
      const payload = Object.values(response.body.data as Record<string, any>)[0];
      expect(payload.userErrors, query).toEqual([{ code: 'INSUFFICIENT_SCOPE' }]);
    }
    // Its deliveries carry what the endpoint's scopes read: not listed for the weaker key.
    expect(await deliveries(t, { endpoint: endpoint.id }, hooksOnly)).toEqual([]);
    // What it creates itself it manages, and that endpoint gets only manage:webhooks events.
    const own = await createEndpoint(t, { url: `${receiver.url}/e2` }, hooksOnly);
    const response = await t.graphql(DISABLE, { key: hooksOnly, variables: { id: own.id } });
    expect(response.body.data.disableWebhookEndpoint.endpoint.status).toBe('DISABLED');
    const [row] = await t.database.db
      .select()
      .from(webhookEndpointTable)
      .where(eq(webhookEndpointTable.url, `${receiver.url}/e2`));
    expect(row!.scopes).toEqual(['manage:webhooks']);
  });

  it('deletes an endpoint with its deliveries', async () => {
    const endpoint = await createEndpoint(t, { url: `${receiver.url}/f` }, alice.key);
    receiver.accept('/f', endpoint.secret);
    await t.graphql(TEST, { key: alice.key, variables: { id: endpoint.id } });
    const deleted = await t.graphql(DELETE, { key: alice.key, variables: { id: endpoint.id } });
    expect(deleted.body.data.deleteWebhookEndpoint).toEqual({
      deletedEndpointId: endpoint.id,
      userErrors: [],
    });
    expect(await deliveries(t, { endpoint: endpoint.id }, alice.key)).toEqual([]);
    const node = await t.graphql(NODE, { key: alice.key, variables: { id: endpoint.id } });
    expect(node.body.data.node).toBeNull();
  });

  it('lists the event catalogue with a JSON Schema for each type', async () => {
    const response = await t.graphql(
      `{ webhookEventTypes { type name scope description schema } }`,
      {
        key: alice.key,
      },
    );
    const types = response.body.data.webhookEventTypes as any[];
    const exportType = types.find((type) => type.name === 'export.completed');
    expect(exportType).toMatchObject({ type: 'EXPORT_COMPLETED', scope: 'READ_ANALYTICS' });
    const schema = JSON.parse(exportType.schema);
    expect(schema.properties.type).toEqual({ const: 'export.completed' });
    expect(schema.properties.data.properties.export.required).toContain('downloadUrl');
    for (const type of types)
      expect(JSON.parse(type.schema).required).toEqual(['type', 'timestamp', 'data']);
  });
});

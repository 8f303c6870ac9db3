import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../../../src/env.js';
import { PersistedDocuments } from '../../../src/modules/limits/persisted-documents.js';
import { createChannels, createPublishedVideo, encodeId } from '../../helpers/fixtures.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const ME = 'query Me { me { email } }';
const RENAME =
  'mutation Rename($name: String!) { updateProfile(input: { name: $name }) { user { name } } }';
const WATCH = 'subscription Watch($id: ID!) { videoUpdated(id: $id) { id } }';
const AD_HOC = '{ me { name } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
let manifestPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-persisted-'));
  manifestPath = join(dir, 'persisted-documents.json');
  // The shape graphql-codegen's client-preset writes with `persistedDocuments: true`.
  await writeFile(
    manifestPath,
    JSON.stringify({ [sha256(ME)]: ME, [sha256(RENAME)]: RENAME, [sha256(WATCH)]: WATCH }),
  );
});

type Body = Record<string, unknown>;

function request(t: TestApp, key: string, body: Body, headers: Record<string, string> = {}) {
  return t.app.fetch('http://pulse.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

const codeOf = async (response: Response) =>
  ((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]
    ?.extensions?.code;

const FIRST_PARTY = { 'apollographql-client-name': 'pulse-dashboards' };

describe('persisted documents, PERSISTED_DOCUMENTS_ONLY=first-party', () => {
  let t: TestApp;
  let viewer: TestViewer;

  beforeAll(async () => {
    t = await startTestApp({
      PERSISTED_DOCUMENTS_PATH: manifestPath,
      PERSISTED_DOCUMENTS_ONLY: 'first-party',
    });
    viewer = await t.createViewer();
  });
  afterAll(() => t.close());

  it('runs a document named by documentId (POST and GET) or by its persisted-query hash', async () => {
    const byId = await request(t, viewer.key, { documentId: sha256(ME) });
    expect(byId.status).toBe(200);
    expect(((await byId.json()) as Body & { data: any }).data.me.email).toMatch(/@pulse\.test$/);

    const get = await t.app.fetch(`http://pulse.test/graphql?documentId=${sha256(ME)}`, {
      headers: { authorization: `Bearer ${viewer.key}`, accept: 'application/json' },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: any }).data.me.email).toBeTruthy();

    const apq = await request(t, viewer.key, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ME) } },
    });
    expect(apq.status).toBe(200);

    const mutation = await request(t, viewer.key, {
      documentId: `sha256:${sha256(RENAME)}`,
      variables: { name: 'Persisted' },
    });
    expect(((await mutation.json()) as { data: any }).data.updateProfile.user.name).toBe(
      'Persisted',
    );
  });

  it('answers an unknown id with 400 PERSISTED_QUERY_NOT_FOUND', async () => {
    const response = await request(t, viewer.key, { documentId: sha256('nope') });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('third-party clients may still send ad-hoc documents (also with an unknown hash)', async () => {
    expect((await request(t, viewer.key, { query: AD_HOC })).status).toBe(200);
    const retried = await request(t, viewer.key, {
      query: AD_HOC,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(AD_HOC) } },
    });
    expect(retried.status).toBe(200);
  });

  it('first-party clients may only run known documents; nothing ad-hoc runs', async () => {
    for (const header of [FIRST_PARTY, { 'x-pulse-client': 'pulse-dashboards' }]) {
      const adHoc = await request(t, viewer.key, { query: AD_HOC }, header);
      expect(adHoc.status).toBe(400);
      expect(await codeOf(adHoc)).toBe('PERSISTED_QUERY_REQUIRED');
    }
    const write = await request(
      t,
      viewer.key,
      { query: 'mutation { updateProfile(input: { name: "Ad hoc" }) { user { name } } }' },
      FIRST_PARTY,
    );
    expect(write.status).toBe(400);
    const me = await request(t, viewer.key, { query: AD_HOC });
    expect(((await me.json()) as { data: any }).data.me.name).not.toBe('Ad hoc');

    const known = await request(t, viewer.key, { documentId: sha256(ME) }, FIRST_PARTY);
    expect(known.status).toBe(200);
    // The full text of a known document is that document too.
    expect((await request(t, viewer.key, { query: ME }, FIRST_PARTY)).status).toBe(200);
    // Introspection stays open, for GraphiQL.
    const schema = await request(
      t,
      viewer.key,
      { query: '{ __schema { queryType { name } } }' },
      FIRST_PARTY,
    );
    expect(schema.status).toBe(200);
  });

  it('applies over WebSocket too (first-party by the upgrade request header)', async () => {
    await createChannels(t.database.db, viewer.userId);
    const { video } = await createPublishedVideo(t.database.db, viewer.userId);
    const { url } = await t.app.start();
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: FIRST_PARTY,
    });
    const messages: any[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${viewer.key}` },
      }),
    );
    const next = async (id: string) => {
      await expect.poll(() => messages.find((m) => m.id === id)).toBeTruthy();
      return messages.find((m) => m.id === id);
    };
    await expect.poll(() => messages.some((m) => m.type === 'connection_ack')).toBe(true);
    const variables = { id: encodeId('Video', video.id) };
    socket.send(
      JSON.stringify({
        id: 'adhoc',
        type: 'subscribe',
        payload: { query: 'subscription($id: ID!) { videoUpdated(id: $id) { title } }', variables },
      }),
    );
    const refused = await next('adhoc');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions.code).toBe('PERSISTED_QUERY_REQUIRED');
    socket.send(
      JSON.stringify({ id: 'known', type: 'subscribe', payload: { query: WATCH, variables } }),
    );
    expect((await next('known')).type).toBe('next');
    socket.close(1000);
  });
});

describe('PERSISTED_DOCUMENTS_ONLY=all', () => {
  it('everyone must send known documents; introspection stays open', async () => {
    const t = await startTestApp({
      PERSISTED_DOCUMENTS_PATH: manifestPath,
      PERSISTED_DOCUMENTS_ONLY: 'all',
    });
    try {
      const { key } = await t.createViewer();
      const adHoc = await request(t, key, { query: AD_HOC });
      expect(adHoc.status).toBe(400);
      expect(await codeOf(adHoc)).toBe('PERSISTED_QUERY_REQUIRED');
      expect((await request(t, key, { documentId: sha256(ME) })).status).toBe(200);
      expect((await t.graphql('{ __schema { queryType { name } } }', { key: null })).status).toBe(
        200,
      );
    } finally {
      await t.close();
    }
  });
});

describe('persisted documents off (the default)', () => {
  it('ids are still resolved from a configured manifest; ad-hoc documents run for everyone', async () => {
    const t = await startTestApp({ PERSISTED_DOCUMENTS_PATH: manifestPath });
    try {
      expect(t.config.protection.persistedDocuments.only).toBe('off');
      const { key } = await t.createViewer();
      expect((await request(t, key, { documentId: sha256(ME) })).status).toBe(200);
      expect((await request(t, key, { query: AD_HOC }, FIRST_PARTY)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses a missing or malformed manifest at startup, with the key named', async () => {
    expect(() => loadConfig({ PERSISTED_DOCUMENTS_PATH: join(dir, 'missing.json') })).toThrow(
      ConfigError,
    );
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '["not", "a", "manifest"]');
    expect(
      () => new PersistedDocuments({ path: broken, only: 'all', firstPartyClients: [] }),
    ).toThrow(/PERSISTED_DOCUMENTS_PATH/);
  });
});

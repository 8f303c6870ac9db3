import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../../src/app.js';
import { apiKeyTable, PLATFORMS, userTable } from '../../../src/db/schema.js';
import { seedAccount } from '../../helpers/seed.js';
import { rawSocket, sseClient } from '../../helpers/live.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';
import type { CreateApiKeyInput } from '../../gql/graphql.js';

let t: TestApp;
/** A second instance over the same database: what "every instance" means in AUTH-KEY-03. */
let other: App;

const Create = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        id
        prefix
        name
        scopes
        status
      }
      secret
      userErrors {
        field
        code
      }
    }
  }
`);
const Rotate = graphql(`
  mutation RotateApiKey($id: ID!) {
    rotateApiKey(input: { id: $id }) {
      apiKey {
        id
        prefix
        rotatedAt
        previousSecretExpiresAt
      }
      secret
      userErrors {
        code
      }
    }
  }
`);
const Disable = graphql(`
  mutation DisableApiKey($id: ID!) {
    disableApiKey(input: { id: $id }) {
      apiKey {
        id
        status
      }
      userErrors {
        code
      }
    }
  }
`);
const Enable = graphql(`
  mutation EnableApiKey($id: ID!) {
    enableApiKey(input: { id: $id }) {
      apiKey {
        id
        status
      }
      userErrors {
        code
      }
    }
  }
`);
const Revoke = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(input: { id: $id }) {
      apiKey {
        id
        status
      }
      userErrors {
        code
      }
    }
  }
`);
const Me = graphql(`
  query ApiKeysMe {
    me {
      email
    }
  }
`);
const ListKeys = graphql(`
  query ListApiKeys {
    apiKeys {
      id
    }
  }
`);

async function createKey(owner: TestViewer, input: CreateApiKeyInput = { name: 'k' }) {
  const response = await t.request(Create, { key: owner.key, variables: { input } });
  return response.body.data!.createApiKey;
}

async function setPlan(userId: string, plan: 'free' | 'pro' | 'enterprise') {
  await t.database.db.update(userTable).set({ plan }).where(eq(userTable.id, userId));
}

beforeAll(async () => {
  t = await startTestApp();
  other = buildApp({ config: t.config, database: t.database, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await other.stop();
  await t.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AUTH-KEY-01 a new key’s secret is shown once; only its hash is stored', () => {
  it('returns the secret in createApiKey only; the row holds the SHA-256 and the prefix', async () => {
    const owner = await t.createViewer();
    const created = await createKey(owner, { name: 'CI', scopes: ['READ_VIDEOS'] });
    expect(created.userErrors).toEqual([]);
    expect(created.secret).toMatch(/^pulse_[0-9A-Za-z]{50}$/);
    expect(created.apiKey).toMatchObject({ name: 'CI', scopes: ['READ_VIDEOS'], status: 'ACTIVE' });
    const secret = created.secret!;
    const apiKey = created.apiKey!;
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const [row] = await t.database.db
      .select()
      .from(apiKeyTable)
      .where(eq(apiKeyTable.prefix, apiKey.prefix));
    expect(row!.hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret.slice(18));
    const listed = await t.request(
      graphql(`
        query ListApiKeysWithLimits {
          apiKeys {
            id
            prefix
            name
            scopes
            status
            lastUsedAt
            createdAt
            rotatedAt
            limits {
              plan
              requestsPerMinute
              requestsPerDay
              maxQueryCost
              maxApiKeys
            }
          }
        }
      `),
      { key: owner.key },
    );
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(18));
    const listedKey = listed.body.data!.apiKeys.find((key) => key.id === apiKey.id);
    expect(listedKey).toMatchObject({
      prefix: apiKey.prefix,
      status: 'ACTIVE',
      lastUsedAt: null,
      rotatedAt: null,
      limits: {
        plan: 'FREE',
        requestsPerMinute: 10,
        requestsPerDay: 1000,
        maxQueryCost: 500,
        maxApiKeys: 2,
      },
    });
    // The new key works, within its scopes.
    const videos = graphql(`
      query ApiKeysVideoCount {
        videos(first: 1) {
          totalCount
        }
      }
    `);
    expect((await t.request(videos, { key: secret })).status).toBe(200);
    expect((await t.request(Me, { key: secret })).status).toBe(403);
  });

  it('a key never gets more scopes than the credentials creating it', async () => {
    const owner = await t.createViewer();
    await setPlan(owner.userId, 'pro');
    const limited = await createKey(owner, {
      name: 'limited',
      scopes: ['READ_USER', 'MANAGE_KEYS'],
    });
    const escalate = await t.request(Create, {
      key: limited.secret,
      variables: { input: { name: 'escalate', scopes: ['READ_USER', 'WRITE_VIDEOS'] } },
    });
    expect(escalate.body.data!.createApiKey).toMatchObject({
      secret: null,
      apiKey: null,
      userErrors: [{ field: ['input', 'scopes'], code: 'INVALID' }],
    });
    const defaulted = await t.request(Create, {
      key: limited.secret,
      variables: { input: { name: 'defaulted' } },
    });
    expect(defaulted.body.data!.createApiKey.apiKey!.scopes.sort()).toEqual([
      'MANAGE_KEYS',
      'READ_USER',
    ]);
  });

  it('refuses empty names and scope lists', async () => {
    const owner = await t.createViewer();
    const empty = await createKey(owner, { name: '  ', scopes: [] });
    expect(empty.userErrors.map((e) => e.field.join('.')).sort()).toEqual([
      'input.name',
      'input.scopes',
    ]);
  });
});

describe('keys per plan: free 2, pro 10, enterprise unlimited (active + disabled)', () => {
  it('free: a third key is LIMIT_REACHED; disabled keys count, revoked ones do not', async () => {
    const owner = await t.createViewer(); // holds 1 key already
    const second = await createKey(owner, { name: 'second' });
    expect(second.userErrors).toEqual([]);
    const disabled = await t.request(Disable, {
      key: owner.key,
      variables: { id: second.apiKey!.id },
    });
    expect(disabled.body.data!.disableApiKey.apiKey!.status).toBe('DISABLED');
    const third = await createKey(owner, { name: 'third' });
    expect(third).toMatchObject({
      apiKey: null,
      secret: null,
      userErrors: [{ code: 'LIMIT_REACHED' }],
    });
    await t.request(Revoke, {
      key: owner.key,
      variables: { id: second.apiKey!.id },
    });
    expect((await createKey(owner, { name: 'third' })).userErrors).toEqual([]);
  });

  it('pro allows 10, enterprise has no cap', async () => {
    const pro = await t.createViewer();
    await setPlan(pro.userId, 'pro');
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await createKey(pro, { name: `k${i}` }));
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(9);
    expect(results.at(-1)!.userErrors).toEqual([{ field: [], code: 'LIMIT_REACHED' }]);
    const enterprise = await t.createViewer();
    await setPlan(enterprise.userId, 'enterprise');
    for (let i = 0; i < 12; i++) expect((await createKey(enterprise)).userErrors).toEqual([]);
  });

  it('concurrent creations cannot overshoot the cap', async () => {
    const owner = await t.createViewer();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createKey(owner, { name: `race${i}` })),
    );
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(1);
    const rows = await t.database.db
      .select()
      .from(apiKeyTable)
      .where(eq(apiKeyTable.ownerId, owner.userId));
    expect(rows).toHaveLength(2);
  });
});

describe('AUTH-KEY-03 disabled or revoked keys stop working at once, on every instance', () => {
  let baseUrl: string;
  let otherUrl: string;
  let owner: TestViewer;
  let videoId: string;

  beforeAll(async () => {
    baseUrl = (await t.app.start()).url;
    otherUrl = (await other.start()).url;
    const seeded = await seedAccount(t, {
      plan: 'pro',
      channels: PLATFORMS,
      videos: [{ title: 'Live' }],
    });
    owner = seeded;
    videoId = seeded.videos[0]!.globalId;
  });

  async function openSocket(url: string, key: string) {
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
    await raw.next((message) => message.type === 'connection_ack');
    return raw;
  }

  it('disable → 401 here and there; its sockets close 4403 on both instances; enable restores', async () => {
    const created = await createKey(owner, { name: 'to-disable' });
    const [apiKey, secret] = [created.apiKey!, created.secret!];
    expect((await t.request(Me, { key: secret })).status).toBe(200);
    expect((await t.request(Me, { key: secret, app: other })).status).toBe(200);
    const here = await openSocket(baseUrl, secret);
    const there = await openSocket(otherUrl, secret);
    const bystander = await openSocket(baseUrl, owner.key);

    const disabled = await t.request(Disable, {
      key: owner.key,
      variables: { id: apiKey.id },
    });
    expect(disabled.body.data!.disableApiKey.apiKey!.status).toBe('DISABLED');
    for (const response of [
      await t.request(Me, { key: secret }),
      await t.request(Me, { key: secret, app: other }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.body.errors![0]!.extensions!['code']).toBe('UNAUTHENTICATED');
    }
    expect((await here.closed).code).toBe(4403);
    expect((await there.closed).code).toBe(4403); // seen by the other instance's sweep
    expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
    bystander.socket.close();

    const enabled = await t.request(Enable, {
      key: owner.key,
      variables: { id: apiKey.id },
    });
    expect(enabled.body.data!.enableApiKey.apiKey!.status).toBe('ACTIVE');
    expect((await t.request(Me, { key: secret, app: other })).status).toBe(200);
  });

  it('revoke → 401 for good; sockets and SSE streams opened with it end', async () => {
    const created = await createKey(owner, { name: 'to-revoke' });
    const [apiKey, secret] = [created.apiKey!, created.secret!];
    const there = await openSocket(otherUrl, secret);
    const sse = sseClient(otherUrl, secret);
    const stream = sse.iterate({
      query: 'subscription($id: ID!) { videoUpdated(id: $id) { title } }',
      variables: { id: videoId },
    });
    const first = await stream.next();
    expect(first.value?.data).toEqual({ videoUpdated: { title: 'Live' } });

    const revoked = await t.request(Revoke, {
      key: owner.key,
      variables: { id: apiKey.id },
    });
    expect(revoked.body.data!.revokeApiKey.apiKey!.status).toBe('REVOKED');
    expect((await t.request(Me, { key: secret, app: other })).status).toBe(401);
    expect((await there.closed).code).toBe(4403);
    const last = await stream.next();
    expect(last.value?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await stream.next()).done).toBe(true);
    sse.dispose();

    const enable = await t.request(Enable, {
      key: owner.key,
      variables: { id: apiKey.id },
    });
    expect(enable.body.data!.enableApiKey.userErrors).toEqual([{ code: 'INVALID_STATUS' }]);
    const listed = await t.request(
      graphql(`
        query ListApiKeysWithRevoked {
          apiKeys {
            id
          }
          all: apiKeys(includeRevoked: true) {
            id
            status
          }
        }
      `),
      { key: owner.key },
    );
    expect(listed.body.data!.apiKeys.map((k) => k.id)).not.toContain(apiKey.id);
    expect(listed.body.data!.all).toContainEqual({ id: apiKey.id, status: 'REVOKED' });
  });

  it('a disabled key gets the same 401 as an unknown one', async () => {
    const created = await createKey(owner, { name: 'same-401' });
    await t.request(Disable, { key: owner.key, variables: { id: created.apiKey!.id } });
    const disabled = await t.request(Me, { key: created.secret });
    const unknown = await t.request(Me, { key: 'pulse_' + 'A'.repeat(50) });
    expect(disabled.body).toEqual(unknown.body);
    expect(disabled.headers.get('www-authenticate')).toBe(unknown.headers.get('www-authenticate'));
  });

  it('other users’ keys answer NOT_FOUND and stay untouched', async () => {
    const stranger = await t.createViewer();
    const created = await createKey(owner, { name: 'mine' });
    const asStranger = { key: stranger.key, variables: { id: created.apiKey!.id } };
    const answers = [
      (await t.request(Disable, asStranger)).body.data?.disableApiKey,
      (await t.request(Revoke, asStranger)).body.data?.revokeApiKey,
      (await t.request(Enable, asStranger)).body.data?.enableApiKey,
    ];
    for (const answer of answers) {
      expect(answer).toEqual({
        apiKey: null,
        userErrors: [{ code: 'NOT_FOUND' }],
      });
    }
    const rotate = await t.request(Rotate, asStranger);
    expect(rotate.body.data!.rotateApiKey.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const node = await t.request(
      graphql(`
        query ApiKeysNode($id: ID!) {
          node(id: $id) {
            id
          }
        }
      `),
      asStranger,
    );
    expect(node.body.data!.node).toBeNull();
    expect((await t.request(Me, { key: created.secret })).status).toBe(200);
  });
});

describe('AUTH-KEY-04 rotation with grace', () => {
  it('old and new secrets work during the grace period; the old one fails after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const owner = await t.createViewer();
    const { apiKey, secret: oldSecret } = await createKey(owner, { name: 'rotating' });
    const rotated = await t.request(Rotate, { key: owner.key, variables: { id: apiKey!.id } });
    const { secret: newSecret, apiKey: after } = rotated.body.data!.rotateApiKey;
    expect(newSecret).not.toBe(oldSecret);
    expect(after!.prefix).toBe(apiKey!.prefix);
    expect(after!.rotatedAt).toBeTruthy();
    const graceMs = t.config.auth.apiKeyRotationGraceMs;
    expect(new Date(after!.previousSecretExpiresAt!).getTime() - Date.now()).toBeGreaterThan(
      graceMs - 60_000,
    );
    expect((await t.request(Me, { key: oldSecret })).status).toBe(200);
    expect((await t.request(Me, { key: newSecret })).status).toBe(200);

    vi.setSystemTime(Date.now() + graceMs - 60_000);
    expect((await t.request(Me, { key: oldSecret })).status).toBe(200);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await t.request(Me, { key: oldSecret })).status).toBe(401);
    expect((await t.request(Me, { key: newSecret })).status).toBe(200);
  });

  it('with no grace configured the old secret fails at once; revoked keys cannot rotate', async () => {
    const strict = await startTestApp({ API_KEY_ROTATION_GRACE_HOURS: '0' });
    try {
      const owner = await strict.createViewer();
      const keys = await strict.request(ListKeys, { key: owner.key });
      const id = keys.body.data!.apiKeys[0]!.id;
      const rotated = await strict.request(Rotate, { key: owner.key, variables: { id } });
      const newSecret = rotated.body.data!.rotateApiKey.secret;
      expect((await strict.request(Me, { key: owner.key })).status).toBe(401);
      expect((await strict.request(Me, { key: newSecret })).status).toBe(200);
      await strict.request(Revoke, { key: newSecret, variables: { id } });
      const again = await strict.request(Rotate, { key: newSecret, variables: { id } });
      expect(again.status).toBe(401);
    } finally {
      await strict.close();
    }
  });
});

describe('AUTH-KEY-05 credentials in URLs are refused and never logged', () => {
  /** Sent by hand (in URLs too), not through the test client. */
  const ME_TEXT = '{ me { email } }';

  it('refuses ?api_key= and ?access_token= over HTTP and WebSocket; logs never contain them', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const logged = buildApp({ config: t.config, database: t.database, logger });
    const { url } = await logged.start();
    try {
      const owner = await t.createViewer();
      const query = encodeURIComponent(ME_TEXT);
      for (const path of [
        `/graphql?api_key=${owner.key}`,
        `/graphql?access_token=${owner.key}`,
        `/graphql?query=${query}&api_key=${owner.key}`,
        `/graphql?query=${query}&x=${owner.key}`,
        `/ingest?access_token=${owner.key}`,
      ]) {
        const get = await fetch(`${url}${path}`);
        expect(get.status, path).toBe(401);
        const post = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.key}` },
          body: JSON.stringify({ query: ME_TEXT }),
        });
        expect(post.status, path).toBe(401);
        expect((await post.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      for (const param of ['api_key', 'access_token']) {
        const socket = new WebSocket(
          `${url.replace(/^http/, 'ws')}/graphql?${param}=${owner.key}`,
          'graphql-transport-ws',
        );
        const closed = new Promise<number>((resolve) => socket.on('close', resolve));
        await new Promise((resolve) => socket.once('open', resolve));
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${owner.key}` },
          }),
        );
        expect(await closed).toBe(4403);
      }
      // A normal request, so the capture is known to work.
      expect(
        (
          await fetch(`${url}/graphql?query=${query}`, {
            headers: { authorization: `Bearer ${owner.key}` },
          })
        ).status,
      ).toBe(200);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(owner.key.slice(6));
    } finally {
      await logged.stop();
    }
  });
});

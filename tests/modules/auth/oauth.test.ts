import { generateKeyPair, SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { PLATFORMS } from '../../../src/db/schema.js';
import { rawSocket } from '../../helpers/live.js';
import { TestIssuer } from '../../helpers/oauth.js';
import { seedAccount } from '../../helpers/seed.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const AUDIENCE = 'https://api.pulse.test';
const ME = '{ me { email } }';

let issuer: TestIssuer;
let t: TestApp;
let viewer: TestViewer;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function expectInvalidToken(response: Awaited<ReturnType<TestApp['graphql']>>, label: string) {
  expect(response.status, label).toBe(401);
  expect(response.headers.get('www-authenticate'), label).toMatch(
    /^Bearer .*error="invalid_token"/,
  );
  expect(response.body.errors?.[0]?.extensions?.code, label).toBe('UNAUTHENTICATED');
  expect(response.body.data ?? null, label).toBeNull();
}

beforeAll(async () => {
  issuer = await TestIssuer.start();
  t = await startTestApp({ OAUTH_ISSUER: issuer.url, OAUTH_AUDIENCE: AUDIENCE });
  viewer = await t.createViewer();
});
afterAll(async () => {
  await t.close();
  await issuer.close();
});
afterEach(() => {
  vi.useRealTimers();
  issuer.up = true;
});

describe('AUTH-OAUTH-01 RFC 9068 access tokens from an external issuer', () => {
  const valid = (claims: Record<string, unknown> = {}, options = {}) =>
    issuer.token({ sub: viewer.userId, ...claims }, { audience: AUDIENCE, ...options });

  it('a valid token with scopes → 200, limited to its scopes', async () => {
    const response = await t.graphql(ME, { key: await valid() });
    expect(response.status).toBe(200);
    expect(response.body.data.me.email).toBeTruthy();
    const narrow = await valid({ scope: 'read:user' });
    const videos = await t.graphql('{ videos(first: 1) { totalCount } }', { key: narrow });
    expect(videos.status).toBe(403);
    expect(videos.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:videos',
    });
  });

  it('accepts expiry within the 30 s clock tolerance, refuses beyond it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const within = await valid({ iat: now - 100, exp: now - 20 });
    expect((await t.graphql(ME, { key: within })).status).toBe(200);
    const beyond = await valid({ iat: now - 100, exp: now - 31 });
    expectInvalidToken(await t.graphql(ME, { key: beyond }), 'expired');
  });

  it('refuses wrong aud/iss, typ JWT, alg none, HS256 with the public key, unknown kid, tampering', async () => {
    const good = await valid();
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const otherKey = (await generateKeyPair('RS256')).privateKey;
    const attacks: Record<string, string> = {
      'wrong aud': await valid({ aud: 'https://other.example' }),
      'wrong iss': await valid({ iss: 'https://evil.example' }),
      'typ JWT': await valid({}, { header: { typ: 'JWT' } }),
      'no typ': await valid({}, { header: { typ: undefined } }),
      'alg none': `${b64({ alg: 'none', typ: 'at+jwt', kid: issuer.kid })}.${payload}.`,
      'HS256 with the public key': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: issuer.kid })
        .sign(new TextEncoder().encode(JSON.stringify(issuer.publicJwk))),
      'unknown kid': await valid({}, { key: otherKey, header: { kid: 'unknown-kid' } }),
      'known kid, other key': await valid({}, { key: otherKey }),
      'tampered payload': `${header}.${b64({ ...claims, scope: 'read:user write:user manage:webhooks' })}.${signature}`,
      'tampered signature': `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
      'missing sub': await valid({ sub: undefined }),
      'unknown subject': await valid({ sub: 'someone-else' }),
      garbage: 'eyJhbGciOiJSUzI1NiJ9.garbage.signature',
      'not a JWT': 'definitely-not-a-token',
    };
    for (const [label, token] of Object.entries(attacks)) {
      expectInvalidToken(await t.graphql(ME, { key: token }), label);
    }
    // Every refusal looks the same.
    const bodies = new Set<string>();
    for (const token of Object.values(attacks))
      bodies.add(JSON.stringify((await t.graphql(ME, { key: token })).body));
    expect(bodies.size).toBe(1);
  });

  it('maps an external subject by email when sub is not a Pulse user id', async () => {
    const email = (await t.graphql(ME, { key: viewer.key })).body.data.me.email;
    const byEmail = await valid({ sub: 'idp|12345', email });
    expect((await t.graphql(ME, { key: byEmail })).body.data.me.email).toBe(email);
    const unverified = await valid({ sub: 'idp|12345', email, email_verified: false });
    expectInvalidToken(await t.graphql(ME, { key: unverified }), 'unverified email');
  });
});

describe('AUTH-OAUTH-03 the JWKS endpoint goes down', () => {
  it('keeps accepting tokens signed with cached keys, even after the cache ages', async () => {
    expect(
      (
        await t.graphql(ME, {
          key: await issuer.token({ sub: viewer.userId }, { audience: AUDIENCE }),
        })
      ).status,
    ).toBe(200);
    issuer.up = false;
    expect(
      (
        await t.graphql(ME, {
          key: await issuer.token({ sub: viewer.userId }, { audience: AUDIENCE }),
        })
      ).status,
    ).toBe(200);
    // Past oauth4webapi's 5-minute cache age a refetch fails; the last good keys still serve.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    const before = issuer.jwksRequests;
    const later = await issuer.token({ sub: viewer.userId }, { audience: AUDIENCE });
    expect((await t.graphql(ME, { key: later })).status).toBe(200);
    expect(issuer.jwksRequests).toBeGreaterThan(before);
    // A key it never saw still fails: unknown keys are never accepted.
    const stranger = await issuer.token(
      { sub: viewer.userId },
      {
        audience: AUDIENCE,
        key: (await generateKeyPair('RS256')).privateKey,
        header: { kid: 'new' },
      },
    );
    expect((await t.graphql(ME, { key: stranger })).status).toBe(401);
  });

  it('on a cold start with the issuer down → 503 SERVICE_UNAVAILABLE, never an acceptance', async () => {
    issuer.up = false;
    const cold = await startTestApp({ OAUTH_ISSUER: issuer.url, OAUTH_AUDIENCE: AUDIENCE });
    try {
      const user = await cold.createViewer();
      const token = await issuer.token({ sub: user.userId }, { audience: AUDIENCE });
      const response = await cold.graphql(ME, { key: token });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
      expect(response.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.body.data ?? null).toBeNull();
      // API keys do not depend on the issuer.
      expect((await cold.graphql(ME, { key: user.key })).status).toBe(200);
      issuer.up = true;
      expect((await cold.graphql(ME, { key: token })).status).toBe(200);
    } finally {
      await cold.close();
    }
  });
});

describe('WS-AUTH-02 OAuth tokens over WebSocket', () => {
  let ws: TestApp;
  let baseUrl: string;
  let owner: TestViewer;
  let videoId: string;

  beforeAll(async () => {
    ws = await startTestApp({
      OAUTH_ISSUER: issuer.url,
      OAUTH_AUDIENCE: AUDIENCE,
      OAUTH_CLOCK_TOLERANCE_SECONDS: '0',
    });
    baseUrl = (await ws.app.start()).url;
    const seeded = await seedAccount(ws, { channels: PLATFORMS, videos: [{ title: 'Start' }] });
    owner = seeded;
    videoId = seeded.videos[0]!.globalId;
  });
  afterAll(() => ws.close());

  const shortToken = (seconds: number) =>
    issuer.token({ sub: owner.userId }, { audience: AUDIENCE, expiresIn: seconds });

  it('token expiry closes the socket with 4403', async () => {
    const raw = await rawSocket(baseUrl);
    raw.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${await shortToken(1)}` },
    });
    await raw.next((message) => message.type === 'connection_ack');
    expect((await raw.closed).code).toBe(4403);
  });

  it('a client that refreshes its token reconnects and resumes with the current value', async () => {
    let token = await shortToken(1);
    const closes: number[] = [];
    const client = createClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      // Evaluated on every (re)connect: the app hands over its freshest token.
      connectionParams: async () => ({ authorization: `Bearer ${token}` }),
      retryAttempts: 5,
      retryWait: async () => new Promise((resolve) => setTimeout(resolve, 100)),
      on: {
        closed: (event) => {
          closes.push((event as { code: number }).code);
        },
      },
    });
    const titles: string[] = [];
    let notify: () => void = () => {};
    const dispose = client.subscribe<{ videoUpdated: { title: string } }>(
      {
        query: 'subscription($id: ID!) { videoUpdated(id: $id) { title } }',
        variables: { id: videoId },
      },
      {
        next: (result) => {
          if (result.data) titles.push(result.data.videoUpdated.title);
          notify();
        },
        error: () => {},
        complete: () => {},
      },
    );
    const waitFor = async (predicate: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out; titles ${titles}, closes ${closes}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
    };
    await waitFor(() => titles.length >= 1);
    expect(titles[0]).toBe('Start');
    // The app refreshes its token (here: the issuer signs a new one); the old one expires and
    // the server closes the socket; meanwhile the video changes.
    token = await shortToken(300);
    await waitFor(() => closes.includes(4403));
    await ws.graphql(
      'mutation($id: ID!) { updateVideo(input: { id: $id, title: "Changed while away" }) { userErrors { code } } }',
      { key: owner.key, variables: { id: videoId } },
    );
    await waitFor(() => titles.at(-1) === 'Changed while away');
    expect(closes).toContain(4403);
    dispose();
    await client.dispose();
  });
});

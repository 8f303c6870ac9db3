import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestViewer } from '../helpers/test-app.js';

let t: TestApp;
let viewer: TestViewer;
const url = 'http://pulse.test/graphql';
const ME = '{ me { email } }';

beforeAll(async () => {
  t = await startTestApp();
  viewer = await t.createViewer();
});
afterAll(() => t.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  t.app.fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${viewer.key}`,
      ...headers,
    },
    body,
  });

describe('GraphQL over HTTP', () => {
  it('answers POST with application/graphql-response+json when asked', async () => {
    const response = await post(JSON.stringify({ query: ME }), {
      accept: 'application/graphql-response+json',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/graphql-response+json');
    expect((await response.json()).data.me.email).toMatch(/@pulse\.test$/);
  });

  it('answers POST with application/json for legacy clients', async () => {
    const response = await post(JSON.stringify({ query: ME }), { accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('answers queries over GET', async () => {
    const response = await t.app.fetch(`${url}?query=${encodeURIComponent(ME)}`, {
      headers: {
        authorization: `Bearer ${viewer.key}`,
        accept: 'application/graphql-response+json',
      },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).data.me.email).toBeTruthy();
  });

  it('GQL-GET-09: refuses mutations over GET with 405 and applies nothing', async () => {
    const mutation =
      'mutation { updateProfile(input: { name: "Changed over GET" }) { user { name } } }';
    const response = await t.app.fetch(`${url}?query=${encodeURIComponent(mutation)}`, {
      headers: {
        authorization: `Bearer ${viewer.key}`,
        accept: 'application/graphql-response+json',
      },
    });
    expect(response.status).toBe(405);
    const me = await t.graphql('{ me { name } }', { key: viewer.key });
    expect(me.body.data.me.name).not.toBe('Changed over GET');
  });

  it('GQL-GET-09: refuses form and text content types (CSRF) with 415', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await post(`query=${encodeURIComponent(ME)}`, { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect((await response.json()).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers malformed JSON with 400', async () => {
    const response = await post('{"query": "{ me { email } }"');
    expect(response.status).toBe(400);
  });

  it('answers a syntax error with 400 (graphql-response+json)', async () => {
    const response = await post(JSON.stringify({ query: '{ me { email ' }), {
      accept: 'application/graphql-response+json',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toMatch(/Syntax Error/);
  });

  it('GQL-BATCH-06: refuses a JSON array body (batching is off) with 400', async () => {
    const response = await post(JSON.stringify([{ query: ME }, { query: ME }]));
    expect(response.status).toBe(400);
  });

  it('GQL-TOKENS-05: answers a body over the limit with 413 (Content-Length)', async () => {
    const big = JSON.stringify({
      query: ME,
      variables: { pad: 'x'.repeat(t.config.limits.graphqlMaxBodyBytes) },
    });
    const response = await post(big);
    expect(response.status).toBe(413);
  });

  it('GQL-TOKENS-05: answers a chunked body over the limit with 413', async () => {
    const pad = 'x'.repeat(1024);
    const chunks = Math.ceil(t.config.limits.graphqlMaxBodyBytes / 1024) + 2;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const encoder = new TextEncoder();
        controller.enqueue(encoder.encode(`{"query":"${ME}","variables":{"pad":"`));
        for (let i = 0; i < chunks; i++) controller.enqueue(encoder.encode(pad));
        controller.enqueue(encoder.encode('"}}'));
        controller.close();
      },
    });
    const response = await t.app.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.key}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});

describe('credentials', () => {
  it('answers no credentials with 401 UNAUTHENTICATED and WWW-Authenticate', async () => {
    const response = await t.graphql(ME, { key: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.data ?? null).toBeNull();
  });

  it('AUTH-KEY-02: malformed, unknown and wrong-secret keys get the same 401', async () => {
    const malformed = await t.graphql(ME, { key: 'not-a-key' });
    const tampered =
      viewer.key.slice(0, 20) + (viewer.key[20] === 'a' ? 'b' : 'a') + viewer.key.slice(21);
    const wrongSecret = await t.graphql(ME, { key: tampered });
    const unknownStatement = t.database.stats.statements;
    const unknown = await t.graphql(ME, { key: 'pulse_' + 'A'.repeat(50) });
    for (const response of [malformed, wrongSecret, unknown]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(malformed.body);
      expect(response.headers.get('www-authenticate')).toBe(
        malformed.headers.get('www-authenticate'),
      );
    }
    // A key failing its checksum is refused without touching the database.
    expect(t.database.stats.statements).toBe(unknownStatement);
  });

  it('lets anonymous callers introspect, so GraphiQL can show the docs', async () => {
    const response = await t.graphql('{ __schema { queryType { name } } }', { key: null });
    expect(response.status).toBe(200);
    expect(response.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('operational endpoints', () => {
  it('/health is 200', async () => {
    expect((await t.app.fetch('http://pulse.test/health')).status).toBe(200);
  });

  it('/ready is 200 while the database answers', async () => {
    expect((await t.app.fetch('http://pulse.test/ready')).status).toBe(200);
  });

  it('/metrics exposes requests, latency, SQL statements and subscriptions', async () => {
    await t.graphql(ME);
    const body = await (await t.app.fetch('http://pulse.test/metrics')).text();
    expect(body).toMatch(
      /pulse_http_requests_total\{method="POST",route="\/graphql",status="200"\} [1-9]/,
    );
    expect(body).toMatch(/pulse_http_request_duration_seconds_bucket/);
    expect(body).toMatch(/pulse_sql_statements_total [1-9]/);
    expect(body).toMatch(/pulse_active_subscriptions 0/);
  });

  it('serves GraphiQL from local assets with the example operations', async () => {
    const response = await t.app.fetch(url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Pulse GraphiQL');
    expect(html).not.toMatch(/https:\/\/(unpkg\.com|cdn\.jsdelivr\.net|esm\.sh)/);
    for (const operation of [
      'query TopVideos',
      'mutation CreateVideo',
      'subscription WatchVideo',
    ]) {
      expect(html).toContain(operation);
    }
  });
});

describe('switches', () => {
  it('GRAPHIQL=false and INTROSPECTION=false turn both off', async () => {
    const off = await startTestApp({ GRAPHIQL: 'false', INTROSPECTION: 'false' });
    try {
      const page = await off.app.fetch(url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('Pulse GraphiQL');
      const introspection = await off.graphql('{ __schema { queryType { name } } }', { key: null });
      expect(introspection.status).toBe(400);
    } finally {
      await off.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardsBuilt } from '../../src/dashboards/index.js';
import { isEmpty } from '../../src/db/client.js';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import { SCOPES } from '../../src/modules/auth/scopes.js';
import { prepareDemo } from '../../src/modules/demo/demo.service.js';
import { onPostgres, startTestApp, type TestApp } from '../helpers/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
// In CI the browser test must run (a missing Chromium fails it); locally it needs Chromium.
const runBrowser = existsSync(CHROMIUM) || process.env['CI'] === 'true';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const MANIFEST = fileURLToPath(
  new URL('../../client/src/gql/persisted-documents.json', import.meta.url),
);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

const demoKey = generateApiKey();
let t: TestApp;
let baseUrl: string;
let browser: Browser;
let page: Page;
/** Uncaught exceptions and console errors in the page: there must be none. */
const pageErrors: string[] = [];
/** The bodies of the page's POST /graphql requests. */
const graphqlBodies: Record<string, unknown>[] = [];

async function api<T = any>(query: string, variables?: Record<string, unknown>, key = demoKey) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** Desktop and phone screenshots of the current page, for the README (written once per run). */
async function screenshots(name: string, { fullPage = true } = {}) {
  if (onPostgres) return;
  await page.screenshot({ path: `${SCREENSHOTS}${name}-desktop.png`, fullPage });
  await page.setViewportSize(PHONE);
  // Charts resize after the layout change; give them one frame to settle.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  await page.screenshot({ path: `${SCREENSHOTS}${name}-375.png`, fullPage });
  // Nothing may stick out sideways on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    PHONE.width,
  );
  await page.setViewportSize(DESKTOP);
}

const digits = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''));

describe.skipIf(!runBrowser)('dashboards in a real browser (Chromium)', () => {
  beforeAll(async () => {
    await ensureDashboardsBuilt(pino({ level: 'silent' }));
    // The dashboards' own HTTP operations must be persisted documents (the manifest codegen
    // writes); this test's ad-hoc API calls are not first-party and stay allowed.
    t = await startTestApp({
      DEMO: 'true',
      DEMO_API_KEY: demoKey,
      DEMO_TRAFFIC: 'false',
      PERSISTED_DOCUMENTS_PATH: MANIFEST,
      PERSISTED_DOCUMENTS_ONLY: 'first-party',
    });
    const demo = await prepareDemo(t.database.db, demoKey, await isEmpty(t.database.db));
    expect(demo?.apiKey).toBe(demoKey);
    baseUrl = (await t.app.start()).url;
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: DESKTOP, reducedMotion: 'reduce' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql')
        graphqlBodies.push(request.postDataJSON() as Record<string, unknown>);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await t?.close();
  });

  it('signs in with the demo key and shows the same overview numbers as the API', async () => {
    const response = await page.goto(`${baseUrl}/`);
    expect(response?.status()).toBe(200);
    const keyField = page.getByLabel('API key');
    // Demo mode: the demo key is filled in.
    expect(await keyField.inputValue()).toBe(demoKey);
    await screenshots('sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    const views = page.getByTestId('metric-views').locator('.metric-value');
    await views.waitFor();
    const { analytics } = await api(`{
      analytics(range: { preset: LAST_28_DAYS }, compare: PREVIOUS_PERIOD) {
        totals { views { value } engagementRate { value } }
        topVideos(first: 1) { video { title } }
      }
    }`);
    expect(analytics.totals.views.value).toBeGreaterThan(0);
    expect(digits(await views.getAttribute('title'))).toBe(analytics.totals.views.value);
    expect(
      await page.getByTestId('metric-engagement-rate').locator('.metric-value').textContent(),
    ).toBe(`${Math.round(analytics.totals.engagementRate.value * 10) / 10} %`);
    const firstTop = page.getByRole('region', { name: 'Top content table' }).getByRole('link');
    expect(await firstTop.first().textContent()).toBe(analytics.topVideos[0].video.title);
    // The live counter is connected (its first message arrived).
    await page.locator('.live-dot-on').first().waitFor();
    await screenshots('overview');
  }, 120_000);

  it('lists the content and opens a video whose live counter rises as events arrive', async () => {
    await page.getByRole('link', { name: 'Content', exact: true }).click();
    const firstVideo = page.locator('.video-row-title a').first();
    await firstVideo.waitFor();
    const { videos } = await api<{ videos: { totalCount: number } }>('{ videos { totalCount } }');
    await page.getByText(`of ${videos.totalCount.toLocaleString('en')} videos`).waitFor();
    await screenshots('content', { fullPage: false });

    await firstVideo.click();
    await page.waitForURL(/\/videos\//);
    const videoId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    const counter = page.getByTestId('live-value');
    await page.locator('.live-counter .live-dot-on').waitFor();
    const before = digits(await counter.textContent());
    const { video } = await api(
      'query($id: ID!) { video(id: $id) { stats { views } publications { platform } } }',
      { id: videoId },
    );
    expect(before).toBe(video.stats.views);

    const response = await fetch(`${baseUrl}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demoKey}` },
      body: JSON.stringify([
        {
          id: `e2e-${randomUUID()}`,
          video: videoId,
          platform: video.publications[0].platform,
          metric: 'VIEWS',
          delta: 25,
        },
      ]),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 1 });
    // The DOM shows the new count within 2 s of the acknowledged ingest.
    await page.waitForFunction(
      ([selector, expected]) =>
        Number(document.querySelector(selector)?.textContent?.replace(/[^0-9]/g, '')) === expected,
      ['[data-testid="live-value"]', before + 25] as const,
      { timeout: 2_000 },
    );
    await screenshots('video');
  }, 120_000);

  it('creates an API key and shows its secret exactly once', async () => {
    await page.getByRole('link', { name: 'Developer', exact: true }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('New key name').fill('e2e key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('secret-value').textContent())!;
    expect(secret).toMatch(/^pulse_[0-9A-Za-z]{50}$/);
    expect((await page.content()).split(secret)).toHaveLength(2);
    // It is a working key.
    expect((await api<{ me: { email: string } }>('{ me { email } }', {}, secret)).me.email).toBe(
      'demo@pulse.dev',
    );
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page
      .getByRole('cell', { name: /e2e key/ })
      .or(page.getByText('e2e key'))
      .first()
      .waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).toContain(`${secret.slice(0, 18)}…`);
    await screenshots('developer');

    // Rotating the key this browser signed in with keeps the session, on the new secret.
    await page.getByRole('button', { name: /^Rotate Demo key/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, rotate' }).click();
    const rotated = (await page.getByTestId('secret-value').textContent())!;
    expect(rotated).not.toBe(demoKey);
    expect(
      await page.evaluate(() => JSON.parse(localStorage.getItem('pulse.credential')!).apiKey),
    ).toBe(rotated);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByTestId('metric-views').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
  }, 120_000);

  it('sent only persisted-document hashes over HTTP, never operation text', () => {
    expect(graphqlBodies.length).toBeGreaterThan(3);
    for (const body of graphqlBodies) {
      expect(body['query']).toBeUndefined();
      expect(body['extensions']).toMatchObject({
        persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
    }
  });

  it('signs out and forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('pulse.credential'))).toBeNull();
  }, 60_000);

  it('signs in with Pulse (OAuth code + PKCE) as the demo user; sign-out revokes the grant', async () => {
    await page.getByRole('button', { name: 'Sign in with Pulse' }).click();
    // The built-in authorization server's login page, then straight back: no consent page.
    await page.getByRole('button', { name: 'Continue as the demo user' }).click();
    const views = page.getByTestId('metric-views').locator('.metric-value');
    await views.waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    const credential = await page.evaluate(
      () =>
        JSON.parse(localStorage.getItem('pulse.credential')!) as {
          kind: string;
          accessToken: string;
          refreshToken: string;
        },
    );
    expect(credential.kind).toBe('oauth');
    // The same user as the demo key: the same numbers.
    const { analytics } = await api(
      `{ analytics(range: { preset: LAST_28_DAYS }) { totals { views { value } } } }`,
    );
    expect(digits(await views.getAttribute('title'))).toBe(analytics.totals.views.value);
    const adHoc = () =>
      fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${credential.accessToken}`,
        },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
    // The token is the first-party client's: accepted, and held to persisted documents.
    expect(await (await adHoc()).json()).toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_REQUIRED' } }],
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with Pulse' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('pulse.credential'))).toBeNull();
    // Signing out revoked the refresh token and with it the grant: the access token stops too.
    await expect.poll(async () => (await adHoc()).status).toBe(401);
    const refresh = await fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credential.refreshToken,
        client_id: 'pulse-dashboards',
      }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  }, 120_000);
});

describe('dashboards served by the API server', () => {
  let served: TestApp;
  let url: string;

  beforeAll(async () => {
    await ensureDashboardsBuilt(pino({ level: 'silent' }));
    served = await startTestApp({ DEMO: 'false' });
    url = (await served.app.start()).url;
  }, 120_000);
  afterAll(() => served?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { headers: { accept: 'text/html', ...headers } });

  it('serves index.html for the client routes, revalidated every time', async () => {
    for (const path of [
      '/',
      '/content',
      '/developer',
      `/videos/${encodeURIComponent('VmlkZW86/x==')}`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets as immutable, compressed, with 304 on revalidation', async () => {
    const html = await (await get('/')).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const response = await get(script, { 'accept-encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('br');
    const again = await get(script, { 'if-none-match': response.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('never shadows the API; unknown paths get a 404 (the app’s own page for a browser)', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(await health.text()).not.toContain('<div id="root">');
    const graphql = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toMatchObject({ data: { __typename: 'Query' } });
    expect((await get('/ready')).status).toBe(200);
    for (const path of ['/nope', '/ingest', '/oauth/x', '/assets/missing.js', '/.env']) {
      const response = await get(path, { accept: 'application/json' });
      expect(response.status, path).toBe(path === '/ingest' ? 405 : 404);
      expect(await response.text(), path).not.toContain('<div id="root">');
    }
    // A browser asking for an unknown page gets the app (its own not-found page), as a 404.
    const page = await get('/no-such-page');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('<div id="root"></div>');
    for (const path of ['/oauth/x', '/assets/missing.js', '/.env']) {
      expect(await (await get(path)).text(), path).not.toContain('<div id="root">');
    }
    expect((await get('/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await fetch(`${url}/`, { method: 'POST' })).status).not.toBe(200);
  });

  it('exposes a demo key only in demo mode', async () => {
    const response = await get('/dashboards/config.json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      demoApiKey: null,
      oauth: { issuer: `${url}/oauth`, clientId: 'pulse-dashboards', scope: SCOPES.join(' ') },
      persistedDocuments: false,
    });
  });

  it('offers no OAuth sign-in with DASHBOARDS_OAUTH=false', async () => {
    const keyOnly = await startTestApp({ DASHBOARDS_OAUTH: 'false' });
    try {
      const { url: keyOnlyUrl } = await keyOnly.app.start();
      const config = await (await fetch(`${keyOnlyUrl}/dashboards/config.json`)).json();
      expect(config).toMatchObject({ oauth: null });
    } finally {
      await keyOnly.close();
    }
  });

  it('serves nothing at / with DASHBOARDS=false', async () => {
    const off = await startTestApp({ DASHBOARDS: 'false' });
    try {
      const { url: offUrl } = await off.app.start();
      expect((await fetch(`${offUrl}/`, { headers: { accept: 'text/html' } })).status).toBe(404);
      expect((await fetch(`${offUrl}/dashboards/config.json`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

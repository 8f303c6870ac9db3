import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardsBuilt } from '../../src/dashboards/index.js';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import { SCOPES } from '../../src/modules/auth/scopes.js';
import {
  apiAs,
  axeProblems,
  frames,
  launchChromium,
  PHONE,
  recordPageErrors,
  runBrowser,
  screenshotPair,
  startDashboards,
} from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const DESKTOP = { width: 1280, height: 900 };
/** The widths every page is checked for accessibility at. */
const AUDIT_WIDTHS = [{ width: 1440, height: 900 }, PHONE];

const demoKey = generateApiKey();
let t: TestApp;
let baseUrl: string;
let browser: Browser;
let page: Page;
/** Uncaught exceptions and console errors in the page: there must be none. */
const pageErrors: string[] = [];
/** The bodies of the page's POST /graphql requests. */
const graphqlBodies: Record<string, unknown>[] = [];

const api = apiAs(() => baseUrl, demoKey);

/** Desktop and phone screenshots of the current page (written once per run). */
const screenshots = (name: string, options: { fullPage?: boolean } = {}) =>
  screenshotPair(page, name, { ...options, desktop: DESKTOP });

const digits = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''));

/** Waits until the page shows its content: no skeleton, spinner or dimmed old answer. */
async function settled(target: Page) {
  await target.locator('#main').waitFor();
  await target.waitForFunction(() => !document.querySelector('.skeleton, .state-loading, .stale'));
  await frames(target);
}

/** The page checked at each audit width. */
async function auditAtEveryWidth(target: Page, where: string) {
  const problems: string[] = [];
  for (const size of AUDIT_WIDTHS) {
    await target.setViewportSize(size);
    await frames(target);
    problems.push(...(await axeProblems(target, `${where} @${size.width}px`)));
  }
  return problems;
}

/** Whether any two of the boxes overlap (touching edges do not). */
function overlaps(boxes: { name: string; x: number; y: number; width: number; height: number }[]) {
  const found: string[] = [];
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1))
      if (
        a.x < b.x + b.width - 0.5 &&
        b.x < a.x + a.width - 0.5 &&
        a.y < b.y + b.height - 0.5 &&
        b.y < a.y + a.height - 0.5
      )
        found.push(`${a.name} overlaps ${b.name}`);
  return found;
}

describe.skipIf(!runBrowser)('dashboards in a real browser (Chromium)', () => {
  beforeAll(async () => {
    ({ t, baseUrl } = await startDashboards(demoKey));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, reducedMotion: 'reduce' });
    recordPageErrors(page, pageErrors);
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql')
        graphqlBodies.push(request.postDataJSON() as Record<string, unknown>);
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

  it('shows API keys as cards on a phone: every action on screen, scopes never broken', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Developer', exact: true }).click();
    const cards = page.getByRole('list', { name: 'API keys' });
    await cards.waitFor();
    expect(await page.getByRole('region', { name: 'API keys table' }).count()).toBe(0);
    const { apiKeys } = await api<{ apiKeys: { name: string; status: string }[] }>(
      '{ apiKeys { name status } }',
    );
    const articles = cards.getByRole('article');
    expect(await articles.count()).toBe(apiKeys.length);
    const layout = await articles.evaluateAll((nodes) =>
      nodes.map((card) => {
        const box = card.getBoundingClientRect();
        // The lines a chip's text runs over: one, unless it broke inside the scope.
        const lines = (element: Element) => {
          const range = document.createRange();
          range.selectNodeContents(element.querySelector('code') ?? element);
          return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
        };
        return {
          title: card.querySelector('h3')?.textContent ?? '',
          right: box.right,
          facts: [...card.querySelectorAll('dt')].map((term) => term.textContent),
          buttons: [...card.querySelectorAll('button')].map((button) => {
            const rect = button.getBoundingClientRect();
            return { name: button.textContent, left: rect.left, right: rect.right };
          }),
          scopes: [...card.querySelectorAll('.scope-list li')].map((scope) => ({
            scope: scope.textContent,
            lines: lines(scope),
            right: scope.getBoundingClientRect().right,
          })),
        };
      }),
    );
    for (const [index, card] of layout.entries()) {
      expect(card.title).toContain(apiKeys[index]!.name);
      expect(card.right).toBeLessThanOrEqual(PHONE.width);
      expect(card.facts).toEqual(['Prefix', 'Scopes', 'Status', 'Last used', 'Created']);
      const { name, status } = apiKeys[index]!;
      expect(card.buttons.map((button) => button.name)).toEqual(
        status === 'REVOKED'
          ? []
          : [
              `Rotate ${name}`,
              `${status === 'ACTIVE' ? 'Disable' : 'Enable'} ${name}`,
              `Revoke ${name}`,
            ],
      );
      for (const button of card.buttons) {
        expect(button.left).toBeGreaterThanOrEqual(0);
        expect(button.right).toBeLessThanOrEqual(card.right);
      }
      expect(card.scopes.length).toBeGreaterThan(0);
      for (const scope of card.scopes) {
        expect(scope, `${scope.scope} is on one line`).toMatchObject({ lines: 1 });
        expect(scope.right).toBeLessThanOrEqual(card.right);
      }
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.setViewportSize(DESKTOP);
    await page.getByRole('region', { name: 'API keys table' }).waitFor();
  }, 60_000);

  it('shades the edge of a wide table that hides more, and scrolls it from the keyboard', async () => {
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const region = page.getByRole('region', { name: 'Top content table' });
    await region.waitFor();
    await frames(page);
    expect(await region.getAttribute('tabindex')).toBe('0');
    const edges = async () =>
      region.evaluate((element) => {
        const box = element.parentElement!;
        return {
          scrolled: element.scrollLeft > 0,
          start: getComputedStyle(box, '::before').opacity,
          end: getComputedStyle(box, '::after').opacity,
        };
      });
    await expect.poll(edges).toEqual({ scrolled: false, start: '0', end: '1' });
    await region.focus();
    for (let press = 0; press < 40; press += 1) await page.keyboard.press('ArrowRight');
    await expect.poll(edges).toEqual({ scrolled: true, start: '1', end: '0' });
    // On a desktop the same table fits: no shadow.
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(edges).toEqual({ scrolled: false, start: '0', end: '0' });
    await page.setViewportSize(DESKTOP);
  }, 60_000);

  it('folds the content filters away on a phone, like the overview', async () => {
    for (const path of ['/content', '/']) {
      await page.setViewportSize(PHONE);
      await page.goto(`${baseUrl}${path}`);
      const fold = page.locator('details.more-filters');
      await fold.waitFor();
      expect(await fold.evaluate((element) => (element as HTMLDetailsElement).open), path).toBe(
        false,
      );
      expect(await page.getByRole('checkbox', { name: 'TikTok' }).isVisible(), path).toBe(false);
      await page.setViewportSize(DESKTOP);
      await page.reload();
      await fold.waitFor();
      expect(await page.getByRole('checkbox', { name: 'TikTok' }).isVisible(), path).toBe(true);
    }
  }, 60_000);

  it('lays out custom dates and the comparison without overlap from 1024 to 1440 px', async () => {
    await page.goto(`${baseUrl}/content`);
    const href = await page.locator('.video-row-title a').first().getAttribute('href');
    const range = 'from=2026-01-01&to=2026-02-01';
    for (const path of [`/?${range}`, `${href}?${range}`])
      for (const width of [1024, 1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${baseUrl}${path}`);
        const form = page.getByRole('form', { name: 'Date range and filters' });
        await form.getByLabel('From').waitFor();
        const boxes = await form.locator('select, input[type="date"]').evaluateAll((fields) =>
          fields.map((field) => {
            const { x, y, width: w, height } = field.getBoundingClientRect();
            const label = (field as HTMLInputElement | HTMLSelectElement).labels?.[0];
            return { name: label?.textContent ?? field.id, x, y, width: w, height };
          }),
        );
        expect(boxes.map((box) => box.name)).toEqual(['Date range', 'From', 'To', 'Compare with']);
        expect(overlaps(boxes), `${path} at ${width} px`).toEqual([]);
      }
    await page.setViewportSize(DESKTOP);
    // Back where the next tests expect the page: the overview.
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('metric-views').waitFor();
  }, 60_000);

  it('has no serious accessibility problem on any page, at 1440 and 375 px, light and dark', async () => {
    const missingVideo = Buffer.from('Video:00000000-0000-0000-0000-000000000000').toString(
      'base64',
    );
    const problems: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: AUDIT_WIDTHS[0],
        colorScheme,
        reducedMotion: 'reduce',
      });
      const audited = await context.newPage();
      audited.on('pageerror', (error) => pageErrors.push(error.message));
      audited.on('console', (message) => {
        // The not-found page is served with its 404 status, which Chromium logs as an error.
        const notFound =
          message.text().includes('404') &&
          new URL(message.location().url).pathname === '/no-such-page';
        if (message.type() === 'error' && !notFound)
          pageErrors.push(`${message.text()} (${message.location().url})`);
      });
      try {
        await audited.goto(`${baseUrl}/`);
        await audited.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
        problems.push(...(await auditAtEveryWidth(audited, `${colorScheme} sign-in`)));
        await audited.setViewportSize(AUDIT_WIDTHS[0]!);
        await audited.getByRole('button', { name: 'Sign in', exact: true }).click();
        await settled(audited);

        await audited.goto(`${baseUrl}/content`);
        await audited.locator('.video-row-title a').first().waitFor();
        const video = (await audited.locator('.video-row-title a').first().getAttribute('href'))!;
        const nav = audited.getByRole('navigation', { name: 'Main' });
        const navigation = await nav.getByRole('link').evaluateAll((links) =>
          links.map((link) => ({
            label: link.textContent ?? '',
            path: new URL((link as HTMLAnchorElement).href).pathname,
          })),
        );
        expect(navigation.map((link) => link.path)).toEqual(
          expect.arrayContaining(['/', '/content', '/developer']),
        );
        // Every page of the main navigation (pages added later included), reached as a user
        // does, by its link; each is titled (its h1) like its link.
        for (const { label, path } of navigation) {
          await audited.setViewportSize(AUDIT_WIDTHS[0]!);
          await nav.getByRole('link', { name: label, exact: true }).click();
          await audited.waitForURL((url) => url.pathname === path);
          await audited.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
          await settled(audited);
          problems.push(...(await auditAtEveryWidth(audited, `${colorScheme} ${path}`)));
        }
        // And the pages no link leads to, by their URL.
        const others = [
          { path: video, title: null },
          { path: `/videos/${encodeURIComponent(missingVideo)}`, title: 'Video not found' },
          { path: '/no-such-page', title: 'Page not found' },
        ];
        for (const { path, title } of others) {
          await audited.setViewportSize(AUDIT_WIDTHS[0]!);
          await audited.goto(`${baseUrl}${path}`);
          // (axe's page-has-heading-one checks that it is the page's h1.)
          if (title) await audited.getByText(title, { exact: true }).waitFor();
          else await audited.getByTestId('live-value').waitFor();
          await settled(audited);
          problems.push(...(await auditAtEveryWidth(audited, `${colorScheme} ${path}`)));
        }

        // The notifications panel of the top bar, open (when the app has one).
        await audited.goto(`${baseUrl}/`);
        await settled(audited);
        const bell = audited.getByRole('banner').getByRole('button', { name: /^Notifications/ });
        if ((await bell.count()) > 0) {
          for (const size of AUDIT_WIDTHS) {
            await audited.setViewportSize(size);
            if ((await bell.getAttribute('aria-expanded')) !== 'true') await bell.click();
            await audited.locator(`#${await bell.getAttribute('aria-controls')}`).waitFor();
            problems.push(
              ...(await axeProblems(audited, `${colorScheme} notifications @${size.width}px`)),
            );
          }
        }
      } finally {
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);

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
      '/insights',
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

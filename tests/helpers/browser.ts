import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { expect } from 'vitest';
import { ensureDashboardsBuilt } from '../../src/dashboards/index.js';
import { isEmpty } from '../../src/db/client.js';
import { prepareDemo } from '../../src/modules/demo/demo.service.js';
import { onPostgres, startTestApp, type TestApp } from './test-app.js';

const CHROMIUM = '/usr/bin/chromium';
// In CI the browser tests must run (a missing Chromium fails them); locally they need Chromium.
export const runBrowser = existsSync(CHROMIUM) || process.env['CI'] === 'true';
export const SCREENSHOTS = fileURLToPath(new URL('../e2e/screenshots/', import.meta.url));
const MANIFEST = fileURLToPath(
  new URL('../../client/src/gql/persisted-documents.json', import.meta.url),
);
export const PHONE = { width: 375, height: 812 };

/**
 * A demo server with built dashboards, on a real port. The dashboards' own HTTP operations must
 * be persisted documents (the manifest codegen writes); a test's ad-hoc API calls are not
 * first-party and stay allowed.
 */
export async function startDashboards(
  demoKey: string,
  env: Record<string, string> = {},
): Promise<{ t: TestApp; baseUrl: string }> {
  await ensureDashboardsBuilt(pino({ level: 'silent' }));
  const t = await startTestApp({
    DEMO: 'true',
    DEMO_API_KEY: demoKey,
    DEMO_TRAFFIC: 'false',
    PERSISTED_DOCUMENTS_PATH: MANIFEST,
    PERSISTED_DOCUMENTS_ONLY: 'first-party',
    ...env,
  });
  const demo = await prepareDemo(t.database.db, demoKey, await isEmpty(t.database.db));
  expect(demo?.apiKey).toBe(demoKey);
  const baseUrl = (await t.app.start()).url;
  await mkdir(SCREENSHOTS, { recursive: true });
  return { t, baseUrl };
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

/** Collects the page's uncaught exceptions and console errors into `into`. */
export function recordPageErrors(page: Page, into: string[]) {
  page.on('pageerror', (error) => into.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') into.push(message.text());
  });
}

/** A GraphQL call to `baseUrl` as `key`, failing the test on any error. */
export function apiAs(baseUrl: () => string, defaultKey: string) {
  return async <T = any>(query: string, variables?: Record<string, unknown>, key = defaultKey) => {
    const response = await fetch(`${baseUrl()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
}

/** Waits for two frames, so layout and media-query re-renders have happened. */
export const frames = (target: Page) =>
  target.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );

/**
 * Desktop and phone screenshots of the current page (written once per run, on PGlite); nothing
 * may stick out sideways on a phone. Leaves the page at `desktop`.
 */
export async function screenshotPair(
  page: Page,
  name: string,
  { fullPage = true, desktop }: { fullPage?: boolean; desktop: { width: number; height: number } },
) {
  if (!onPostgres) await page.screenshot({ path: `${SCREENSHOTS}${name}-desktop.png`, fullPage });
  await page.setViewportSize(PHONE);
  // Charts resize after the layout change; give them a frame to settle.
  await frames(page);
  if (!onPostgres) await page.screenshot({ path: `${SCREENSHOTS}${name}-375.png`, fullPage });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    PHONE.width,
  );
  await page.setViewportSize(desktop);
}

// axe ranks these two "moderate"; the dashboards hold to them as to the serious ones.
const ALSO_ENFORCED = new Set(['heading-order', 'page-has-heading-one']);

/**
 * axe-core's serious and critical violations on the page as it is (with every fold opened, so
 * folded content is checked too), one line each, prefixed with `where`.
 */
export async function axeProblems(target: Page, where: string): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy allows.
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(`${axe.source};0`);
  await target.evaluate(() => {
    for (const fold of document.querySelectorAll('details')) fold.open = true;
  });
  await frames(target);
  const violations = await target.evaluate(async () => {
    const { axe: engine } = window as unknown as { axe: typeof axe };
    const results = await engine.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map(
        (node) => `${node.target.join(' ')} ${node.failureSummary?.split('\n')[1]?.trim() ?? ''}`,
      ),
    }));
  });
  return violations
    .filter(
      (violation) =>
        violation.impact === 'serious' ||
        violation.impact === 'critical' ||
        ALSO_ENFORCED.has(violation.id),
    )
    .map(
      (violation) =>
        `${where}: [${violation.impact}] ${violation.id} (${violation.help}): ${violation.nodes.slice(0, 3).join(' | ')}`,
    );
}

export const DESKTOP = { width: 1440, height: 900 };

/**
 * axe's serious and critical findings at 1440 and 375 px, light and dark; nothing may stick out
 * sideways on a phone. Leaves the page at 1440 px, light.
 */
export async function accessibilitySweep(target: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const size of [DESKTOP, PHONE]) {
    await target.setViewportSize(size);
    for (const colorScheme of ['light', 'dark'] as const) {
      await target.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      await frames(target);
      found.push(...(await axeProblems(target, `${where} ${colorScheme} @${size.width}px`)));
    }
    expect(await target.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      size.width,
    );
  }
  await target.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await target.setViewportSize(DESKTOP);
  return found;
}

import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOutput, runScript, waitFor } from '../helpers/process.js';
import { createTestDatabaseUrl } from '../helpers/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
// In CI the browser test must run (a missing Chromium fails it); locally it needs Chromium.
const runBrowser = existsSync(CHROMIUM) || process.env['CI'] === 'true';

let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
let server: ReturnType<typeof runScript>;
let baseUrl: string;
let ready: Record<string, any>;
let browser: Browser;
const pageErrors: string[] = [];

async function openGraphiQL(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${baseUrl}/graphql`);
  await page.locator('.graphiql-tab', { hasText: 'WatchVideo' }).click();
  // Monaco mounts its editors after the page loads; Run before that has nothing to send.
  await expect
    .poll(() => editorText(page, '.graphiql-query-editor'), { timeout: 30_000 })
    .toContain('videoViewsUpdated');
  return page;
}

async function editorText(page: Page, selector: string): Promise<string> {
  const editor = page.locator(`${selector} .view-lines`).first();
  if ((await editor.count()) === 0) return '';
  return (await editor.innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Presses Run and resolves with the request it sent. A click that lands while GraphiQL is still
 * wiring the tab's editors is dropped (as for a user, who presses again), so it is retried.
 */
async function run(page: Page): Promise<Request> {
  const button = page.locator('.graphiql-execute-button');
  for (let attempt = 1; ; attempt++) {
    const sent = page.waitForRequest((request) => request.url().includes('videoViewsUpdated'), {
      timeout: 10_000,
    });
    // A press that did register turns the button into Stop: pressing again would cancel it.
    if (!(await button.getAttribute('aria-label'))?.startsWith('Stop')) await button.click();
    try {
      return await sent;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The result pane's text, parsed when it is JSON. */
async function result(page: Page): Promise<any> {
  // Monaco renders spaces as no-break spaces.
  const text = (await page.locator('.result-window').innerText()).replace(/\u00a0/g, ' ');
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

describe.skipIf(!runBrowser)(
  'GraphiQL (npm start, demo mode) in Chromium',
  { timeout: 60_000 },
  () => {
    beforeAll(async () => {
      database = await createTestDatabaseUrl();
      // npm start as a new user runs it: demo data, demo traffic moving the newest videos.
      server = runScript('src/main.ts', [], {
        DATABASE_URL: database.url,
        PORT: '0',
        DEMO: 'true',
        DASHBOARDS: 'false',
        LOG_LEVEL: 'info',
      });
      const output = collectOutput(server);
      await waitFor(
        () => output.stdout.includes('Pulse is ready') || server.exitCode !== null,
        150_000,
        `startup; got ${output.stderr}`,
      );
      ready = JSON.parse(
        output.stdout.split('\n').find((line) => line.includes('Pulse is ready'))!,
      );
      baseUrl = `http://127.0.0.1:${ready['port']}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      if (server?.exitCode === null) server.kill('SIGKILL');
      await database?.drop();
      expect(pageErrors).toEqual([]);
    });

    it('the preloaded WatchVideo tab streams the newest demo video’s rising view count', async () => {
      const page = await openGraphiQL();
      // The tab's variables name the newest demo video (the one the startup log prints).
      const variables = new URL((await run(page)).url()).searchParams.get('variables');
      expect(JSON.parse(variables!)).toEqual({ videoId: ready['demoVideoId'] });

      const seen: number[] = [];
      await expect
        .poll(
          async () => {
            const views = (await result(page))?.data?.videoViewsUpdated?.views;
            if (typeof views === 'number' && views !== seen.at(-1)) seen.push(views);
            return seen.length;
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBeGreaterThanOrEqual(2);
      expect(seen[1]).toBeGreaterThan(seen[0]!);
      // Still streaming: the button offers to stop the subscription.
      expect(await page.locator('.graphiql-execute-button').getAttribute('aria-label')).toMatch(
        /^Stop/,
      );
      await page.close();
    });

    it('a refused key shows as an error in the result pane, not as a spinner', async () => {
      const page = await openGraphiQL();
      // As if the user had typed a wrong key in the headers editor: GraphiQL sends what it has.
      await page.route(
        (url) => url.pathname === '/graphql' && url.search.includes('videoViewsUpdated'),
        (route) =>
          route.continue({
            headers: { ...route.request().headers(), authorization: 'Bearer pulse_wrong' },
          }),
      );
      await run(page);
      await expect
        .poll(() => page.locator('.result-window').innerText(), { timeout: 15_000 })
        .toContain('"UNAUTHENTICATED"');
      expect((await result(page)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      await expect
        .poll(() => page.locator('.graphiql-execute-button').getAttribute('aria-label'))
        .toMatch(/^Execute/);
      await page.close();
    });
  },
);

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelTable } from '../../src/db/schema.js';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
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
import { curlCalls } from '../helpers/shell-curl.js';
import type { TestApp } from '../helpers/test-app.js';

const DESKTOP = { width: 1440, height: 900 };
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const demoKey = generateApiKey();
let t: TestApp;
let baseUrl: string;
let browser: Browser;
let page: Page;
/** Uncaught exceptions and console errors in the page: there must be none. */
const pageErrors: string[] = [];

const api = apiAs(() => baseUrl, demoKey);

const whole = (value: number) => value.toLocaleString('en', { maximumFractionDigits: 0 });

/** axe's findings on the page as it is now, in light and dark. */
async function accessibilityProblems() {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    found.push(...(await axeProblems(page, colorScheme)));
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  return found;
}

/**
 * Desktop and phone screenshots of the current page (written once per run), each checked with
 * axe; nothing may stick out sideways on a phone.
 */
async function screenshots(name: string, { fullPage = true } = {}) {
  // Screenshots first: the audit opens every fold.
  await screenshotPair(page, name, { fullPage, desktop: DESKTOP });
  expect(await accessibilityProblems()).toEqual([]);
  await page.setViewportSize(PHONE);
  await frames(page);
  expect(await accessibilityProblems()).toEqual([]);
  await page.setViewportSize(DESKTOP);
}

async function signIn(key: string) {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The text of one of the onboarding's commands, exactly as the page shows it. */
const commandText = async (testId: string) =>
  (await page.getByTestId(testId).locator('code').textContent())!;

/** Runs a command from the page as a shell would, against this server. */
async function run(script: string, key: string) {
  const calls = curlCalls(script, { PULSE_KEY: key });
  expect(calls).toHaveLength(1);
  const [{ url, init }] = calls as [(typeof calls)[number]];
  expect(new URL(url).origin).toBe(baseUrl);
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as any };
}

describe.skipIf(!runBrowser)('insights, notifications and onboarding in Chromium', () => {
  beforeAll(async () => {
    ({ t, baseUrl } = await startDashboards(demoKey));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, reducedMotion: 'reduce' });
    recordPageErrors(page, pageErrors);
  }, 180_000);

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await t?.close();
  });

  it('opens Insights from the top bar and shows the API’s numbers', async () => {
    await page.goto(`${baseUrl}/`);
    await signIn(demoKey);
    await page.getByTestId('metric-views').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    expect(await nav.allTextContents()).toEqual([
      'Overview',
      'Content',
      'Insights',
      'Reports',
      'Developer',
    ]);
    await page.getByRole('link', { name: 'Insights', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
    const weekday = page.getByTestId('best-weekday');
    await weekday.waitFor();

    const { insights } = await api(`{
      insights(range: { preset: LAST_90_DAYS }) {
        postingTimes { sampleSize bestWeekday { slot videos averageEngagementRate } bestHour { slot videos } }
        performance { meanViews above { views video { title } } below { views } }
        forecast(days: 28) { views { points { value lower upper } } followers { points { value } } }
        anomalies { date views }
      }
    }`);
    const { bestWeekday, bestHour, sampleSize } = insights.postingTimes;
    expect(bestWeekday).not.toBeNull();
    const weekdayText = (await weekday.textContent())!;
    expect(weekdayText).toContain(WEEKDAYS[bestWeekday.slot - 1]);
    expect(weekdayText).toContain(`from ${bestWeekday.videos} videos`);
    expect(weekdayText).toContain(
      `${Math.round(bestWeekday.averageEngagementRate * 10) / 10} % engagement in the first 7 days`,
    );
    expect(weekdayText).toMatch(/[0-9.]+× your average \([0-9.]+ %\)/);
    const hour = String(bestHour.slot).padStart(2, '0');
    expect(await page.getByTestId('best-hour').textContent()).toContain(`${hour}:00–`);
    expect(
      await page.getByRole('region', { name: 'Best time to publish' }).textContent(),
    ).toContain(`${sampleSize} videos first published in the range`);

    const performance = page.getByRole('region', { name: 'Above and below your average' });
    expect(await performance.textContent()).toContain(
      `your average launch of ${whole(insights.performance.meanViews)} views`,
    );
    const top = insights.performance.above[0];
    expect(await performance.getByRole('link').first().textContent()).toBe(top.video.title);
    expect(await performance.getByRole('listitem').first().textContent()).toContain(
      `${whole(top.views)} views in the first 7 days`,
    );

    const [tomorrow] = insights.forecast.views.points;
    const views = page.getByTestId('forecast-views');
    expect(await views.locator('dd').first().textContent()).toBe(
      `${whole(tomorrow.value)} views80 % interval ${whole(tomorrow.lower)}–${whole(tomorrow.upper)}`,
    );
    // The interval is drawn as a band around the line.
    expect(await views.locator('.recharts-area-area').count()).toBe(1);
    expect(
      await page.getByTestId('forecast-followers').locator('dd').first().textContent(),
    ).toContain(`${whole(insights.forecast.followers.points[0].value)} followers`);

    const unusual = page.getByRole('region', { name: 'Unusual days' }).getByRole('listitem');
    expect(await unusual.count()).toBe(insights.anomalies.length);
    if (insights.anomalies.length) {
      expect(await unusual.first().textContent()).toContain(
        `${whole(insights.anomalies[0].views)} views`,
      );
    }
    await screenshots('insights');
  }, 120_000);

  it('rings the bell live for a new notification, and marks it read', async () => {
    const bell = page.getByRole('button', { name: /^Notifications, / });
    const before = await api<{ notifications: { unreadCount: number } }>(
      '{ notifications { unreadCount } }',
    );
    await expect
      .poll(() => bell.getAttribute('aria-label'))
      .toBe(
        before.notifications.unreadCount
          ? `Notifications, ${before.notifications.unreadCount} unread`
          : 'Notifications, no unread',
      );

    // A video that finishes processing raises a notification (PROCESSING_FINISHED).
    const { createVideo } = await api(
      `mutation { createVideo(input: { title: "Bell test video" }) { video { id } userErrors { message } } }`,
    );
    const id = createVideo.video.id as string;
    for (const status of ['PROCESSING', 'READY']) {
      const { updateVideoProcessing } = await api(
        `mutation($id: ID!, $status: VideoStatus!, $progress: Int!) {
          updateVideoProcessing(input: { id: $id, status: $status, progress: $progress }) { userErrors { message } }
        }`,
        { id, status, progress: status === 'READY' ? 100 : 10 },
      );
      expect(updateVideoProcessing.userErrors).toEqual([]);
    }
    // Arrives over the subscription: the page is not reloaded.
    const unread = before.notifications.unreadCount + 1;
    await expect
      .poll(() => bell.getAttribute('aria-label'))
      .toBe(`Notifications, ${unread} unread`);
    expect(await page.getByTestId('bell-badge').textContent()).toBe(String(unread));

    await bell.click();
    expect(await bell.getAttribute('aria-expanded')).toBe('true');
    const panel = page.getByRole('region', { name: /^Notifications/ });
    const item = panel.getByRole('listitem').filter({ hasText: 'Bell test video' });
    expect(await item.textContent()).toContain('Processing finished');
    expect(await item.textContent()).toContain(
      '“Bell test video” is processed and ready to publish.',
    );
    await screenshots('notifications', { fullPage: false });

    await item.getByRole('button', { name: 'Mark read: “Processing finished”' }).click();
    await expect
      .poll(() => bell.getAttribute('aria-label'))
      .toBe(unread - 1 ? `Notifications, ${unread - 1} unread` : 'Notifications, no unread');
    const { notifications } = await api(
      '{ notifications(first: 1) { unreadCount edges { node { title read readAt video { id } } } } }',
    );
    expect(notifications.unreadCount).toBe(unread - 1);
    expect(notifications.edges[0].node).toMatchObject({
      title: 'Processing finished',
      read: true,
      video: { id },
    });
    expect(notifications.edges[0].node.readAt).not.toBeNull();

    await page.keyboard.press('Escape');
    expect(await bell.getAttribute('aria-expanded')).toBe('false');
    expect(await bell.evaluate((element) => element === document.activeElement)).toBe(true);
  }, 120_000);

  it('shows a new account how to get data in, with commands that run as printed', async () => {
    const fresh = await t.createViewer({ email: 'fresh@pulse.test' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(fresh.key);
    // Signing in keeps the address (Insights): go to the overview.
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const onboarding = page.getByRole('region', { name: 'Get your first numbers into Pulse' });
    await onboarding.waitFor();
    expect(await page.getByTestId('metric-views').count()).toBe(0);
    expect(await onboarding.textContent()).toContain(baseUrl);
    expect(await page.getByTestId('no-platform').textContent()).toContain(
      'No platform is connected',
    );
    await screenshots('onboarding');

    // Step 3 as printed: create a video.
    const created = await run(await commandText('command-create-video'), fresh.key);
    expect(created.status).toBe(200);
    expect(created.body.data.createVideo.userErrors).toEqual([]);
    const videoId = created.body.data.createVideo.video.id as string;

    // There is no API to connect a platform: add the channel as the server's operator would.
    await t.database.db.insert(channelTable).values({
      ownerId: fresh.userId,
      platform: 'youtube',
      handle: '@fresh',
      name: 'Fresh Creator',
      externalId: 'fresh-youtube',
    });
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByTestId('command-publish').waitFor();
    const published = await run(await commandText('command-publish'), fresh.key);
    expect(published.body.data.publishVideo).toMatchObject({
      video: { id: videoId, status: 'PUBLISHED' },
      userErrors: [],
    });

    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText(`Its id is ${videoId}.`).waitFor();
    const variables = await commandText('command-variables');
    expect(variables).toBe(`export VIDEO_ID='${videoId}' PLATFORM='YOUTUBE'`);
    // Step 4 as printed, over POST /ingest and over GraphQL.
    const ingested = await run(`${variables}\n${await commandText('command-ingest')}`, fresh.key);
    expect(ingested).toEqual({ status: 200, body: { accepted: 2, duplicates: 0, rejected: [] } });
    const recorded = await run(
      `${variables}\n${await commandText('command-record-metrics')}`,
      fresh.key,
    );
    expect(recorded.body).toMatchObject({
      data: { recordMetrics: { accepted: 1, duplicates: 0, rejected: [] } },
    });
    const { video } = await api(
      'query($id: ID!) { video(id: $id) { stats { views likes } } }',
      {
        id: videoId,
      },
      fresh.key,
    );
    expect(video.stats).toEqual({ views: 28, likes: 3 });

    // With views in, the overview replaces the onboarding.
    await page.getByRole('button', { name: 'Check again' }).click();
    const views = page.getByTestId('metric-views').locator('.metric-value');
    await views.waitFor();
    expect(await views.getAttribute('title')).toBe('28');
    expect(await onboarding.count()).toBe(0);
  }, 120_000);
});

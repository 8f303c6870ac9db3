import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import {
  accessibilitySweep,
  apiAs,
  DESKTOP,
  launchChromium,
  runBrowser,
  screenshotPair,
  startDashboards,
} from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const PLATFORM_LABELS: Record<string, string> = {
  YOUTUBE: 'YouTube',
  TIKTOK: 'TikTok',
  INSTAGRAM: 'Instagram',
  TWITTER: 'X',
};

const demoKey = generateApiKey();
let t: TestApp;
let baseUrl: string;
let browser: Browser;
let page: Page;
/** Uncaught exceptions and console errors in the page: there must be none. */
const pageErrors: string[] = [];
/** The API's 400 answers to the preview: refused definitions (BAD_USER_INPUT) only. */
let refusals = 0;

const api = apiAs(() => baseUrl, demoKey);

/** The rows of a downloaded CSV file (its header first). */
async function csvRows(download: Download): Promise<string[][]> {
  const text = await readFile((await download.path())!, 'utf8');
  return parse(text.replace(/^\uFEFF/, '')) as string[][];
}

/** "Mon, Feb 9, 2026, 09:00", as the page writes a schedule's times. */
const inZone = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(iso));

describe.skipIf(!runBrowser)('the Reports page and Export buttons in Chromium', () => {
  beforeAll(async () => {
    ({ t, baseUrl } = await startDashboards(demoKey));
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: DESKTOP,
      reducedMotion: 'reduce',
      acceptDownloads: true,
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The API answers a refused preview with 400 (checked below), which Chromium logs.
      const refused =
        message.text().includes('status of 400') &&
        new URL(message.location().url).pathname === '/graphql';
      if (message.type() === 'error' && !refused) pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() !== 400 || new URL(response.url()).pathname !== '/graphql') return;
      void response.json().then((body: { errors?: { extensions?: { code?: string } }[] }) => {
        const codes = (body.errors ?? []).map((error) => error.extensions?.code);
        if (codes.length && codes.every((code) => code === 'BAD_USER_INPUT')) refusals += 1;
        else pageErrors.push(`400 from /graphql: ${JSON.stringify(body)}`);
      });
    });
  }, 180_000);

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await t?.close();
  });

  it('builds a report with a live preview, saves, schedules, runs and downloads it', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('metric-views').waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Reports' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByText('No saved reports yet').waitFor();
    expect(await accessibilitySweep(page, 'empty')).toEqual([]);

    // Build: views and likes per platform over the last 90 days.
    await page.getByRole('button', { name: 'New report' }).click();
    await page.getByRole('heading', { level: 2, name: 'New report' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Platforms, 90 days');
    await page.getByRole('checkbox', { name: 'Likes' }).check();
    await page.getByLabel('Group by (dimension 1)').selectOption('PLATFORM');
    await page.getByLabel('Date range').selectOption('LAST_90_DAYS');
    const table = page.getByTestId('preview-table');
    const headers = () => table.locator('thead th').allTextContents();
    await expect.poll(headers).toEqual(['Platform', 'Views', 'Likes']);
    const definition = {
      metrics: ['VIEWS', 'LIKES'],
      dimensions: ['PLATFORM'],
      range: { preset: 'LAST_90_DAYS' },
      compare: 'NONE',
    };
    const { analyticsReport } = await api(
      `query($input: AnalyticsReportInput!) {
        analyticsReport(input: $input) { totalRows rows { dimensions { value } metrics { value } } }
      }`,
      { input: { ...definition, limit: 20 } },
    );
    expect(analyticsReport.rows.length).toBeGreaterThan(0);
    const expectedRows = analyticsReport.rows.map((row: any) => [
      PLATFORM_LABELS[row.dimensions[0].value],
      ...row.metrics.map((metric: any) => metric.value.toLocaleString('en')),
    ]);
    await expect
      .poll(() =>
        table
          .locator('tbody tr')
          .evaluateAll((rows) =>
            rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
          ),
      )
      .toEqual(expectedRows);

    // An impossible combination shows the API's reason, then goes away when undone.
    await page.getByRole('button', { name: 'Add a filter' }).click();
    await page.getByLabel('Filter 1: condition').selectOption('CONTAINS');
    await page.getByLabel('Filter 1: value').fill('tube');
    const refusal = page.getByTestId('preview-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      'CONTAINS works on VIDEO (title), CHANNEL (handle, name) and TAG, not on PLATFORM',
    );
    await expect.poll(() => refusals).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Remove filter 1' }).click();
    await refusal.waitFor({ state: 'detached' });
    await expect.poll(headers).toEqual(['Platform', 'Views', 'Likes']);

    // Save: the report opens under its own address.
    await page.getByRole('button', { name: 'Save report' }).click();
    await page.getByRole('heading', { level: 2, name: 'Platforms, 90 days' }).waitFor();
    const reportId = new URL(page.url()).searchParams.get('report')!;
    const saved = await api(
      'query($id: ID!) { report(id: $id) { name kind definition { metrics dimensions range { preset } } schedule { cron } } }',
      { id: reportId },
    );
    expect(saved.report).toEqual({
      name: 'Platforms, 90 days',
      kind: 'CUSTOM',
      definition: {
        metrics: ['VIEWS', 'LIKES'],
        dimensions: ['PLATFORM'],
        range: { preset: 'LAST_90_DAYS' },
      },
      schedule: null,
    });
    const listItem = page.locator('.report-item', { hasText: 'Platforms, 90 days' });
    expect(await listItem.textContent()).toContain('On demand');

    // Schedule it: Mondays at 09:00 in Paris, described by the server, with the next run.
    await page.getByLabel('Schedule (cron)').fill('0 9 * * 1');
    expect(await page.getByTestId('schedule-hint').textContent()).toContain(
      'Every Monday at 09:00',
    );
    await page.getByLabel('Time zone').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const description = page.getByTestId('schedule-description');
    await description.waitFor();
    const { report } = await api(
      'query($id: ID!) { report(id: $id) { nextRunAt schedule { cron timezone description paused } } }',
      { id: reportId },
    );
    expect(report.schedule).toMatchObject({
      cron: '0 9 * * 1',
      timezone: 'Europe/Paris',
      paused: false,
    });
    expect(report.schedule.description).toContain('Monday');
    expect(report.schedule.description).toContain('09:00');
    const nextRun = inZone(report.nextRunAt, 'Europe/Paris');
    expect(nextRun).toMatch(/^Mon, .*, 09:00$/);
    expect(await description.textContent()).toBe(
      `${report.schedule.description}Next run ${nextRun} (Europe/Paris)`,
    );
    expect(await listItem.textContent()).toContain(report.schedule.description);
    expect(await listItem.textContent()).toContain(nextRun);

    // Pause and resume.
    await page.getByRole('button', { name: 'Pause schedule' }).click();
    await description.getByText('Paused').waitFor();
    await page.getByRole('button', { name: 'Resume schedule' }).click();
    await page.getByTestId('next-run').waitFor();

    // Run now: the run appears, follows its progress live and finishes with its file.
    await page.getByRole('button', { name: 'Run now' }).click();
    const run = page.getByTestId('report-run').first();
    await run.waitFor();
    await page
      .locator('[data-testid="report-run"][data-status="SUCCEEDED"]')
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await run.locator('progress').count()).toBe(0);
    const { report: ran } = await api(
      'query($id: ID!) { report(id: $id) { lastRun { status rows trigger exports { format fileName } } } }',
      { id: reportId },
    );
    expect(ran.lastRun).toMatchObject({ status: 'SUCCEEDED', trigger: 'MANUAL' });
    expect(await run.textContent()).toContain(`${ran.lastRun.rows} rows`);
    expect(await listItem.locator('.badge').textContent()).toBe('Succeeded');

    const link = run.getByRole('link', { name: /^Download CSV/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(ran.lastRun.exports[0].fileName);
    const rows = await csvRows(download);
    expect(rows[0]).toEqual(['Platform', 'Views', 'Likes']);
    expect(rows.length - 1).toBe(ran.lastRun.rows);

    await screenshotPair(page, 'reports', { desktop: DESKTOP });
    expect(await accessibilitySweep(page, 'report')).toEqual([]);

    // A reload of the address shows the same report (the server serves the app at /reports).
    const response = await page.reload();
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 2, name: 'Platforms, 90 days' }).waitFor();
    expect(await page.getByLabel('Schedule (cron)').inputValue()).toBe('0 9 * * 1');
  }, 240_000);

  it('shows the server’s per-field errors next to the fields', async () => {
    await page.getByLabel('Schedule (cron)').fill('*/5 * * * *');
    await page.getByLabel('Recipients').fill('ada@example.com, not-an-address');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Not saved.' });
    await summary.waitFor();
    const cron = page.getByLabel('Schedule (cron)');
    expect(await cron.getAttribute('aria-invalid')).toBe('true');
    const cronError = page.locator(
      `#${await cron.getAttribute('aria-describedby').then((ids) => ids!.split(' ').at(-1))}`,
    );
    expect(await cronError.textContent()).toMatch(/hour/i);
    expect(await page.getByLabel('Recipients').getAttribute('aria-invalid')).toBe('true');
    // Nothing was saved.
    const { report } = await api(
      'query($id: ID!) { report(id: $id) { schedule { cron } recipients } }',
      { id: new URL(page.url()).searchParams.get('report') },
    );
    expect(report).toEqual({ schedule: { cron: '0 9 * * 1' }, recipients: [] });
  }, 60_000);

  it('exports the Overview as it is shown, as a CSV file', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await page.getByTestId('metric-views').waitFor();
    await page.getByRole('button', { name: 'Export: Overview, Last 28 days' }).click();
    const panel = page.getByRole('group', { name: 'Export Overview, Last 28 days' });
    await panel.getByRole('button', { name: 'CSV' }).click();
    const link = panel.getByRole('link', { name: /^Download / });
    await link.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const rows = await csvRows(download);
    expect(rows[0]).toEqual([
      'Date',
      'Views',
      'Views, previous',
      'Likes',
      'Likes, previous',
      'Comments',
      'Comments, previous',
      'Shares',
      'Shares, previous',
      'Watch time (s)',
      'Watch time (s), previous',
      'Engagement rate (%)',
      'Engagement rate (%), previous',
    ]);
    const { analytics } = await api(`{
      analytics(range: { preset: LAST_28_DAYS }) { range { startDate endDate } }
    }`);
    // One row per day of the range, in order.
    expect(rows.length - 1).toBe(28);
    expect(rows[1]![0]).toBe(analytics.range.startDate);
    expect(rows.at(-1)![0]).toBe(analytics.range.endDate);
    expect(await accessibilitySweep(page, 'overview export')).toEqual([]);
  }, 120_000);
});

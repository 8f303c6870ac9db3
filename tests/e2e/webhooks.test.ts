import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/modules/api-key/api-key.token.js';
import {
  accessibilitySweep,
  apiAs,
  DESKTOP,
  launchChromium,
  recordPageErrors,
  runBrowser,
  screenshotPair,
  startDashboards,
} from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { Receiver } from '../modules/webhook/receiver.js';

const demoKey = generateApiKey();
let t: TestApp;
let baseUrl: string;
let browser: Browser;
let page: Page;
let receiver: Receiver;
const pageErrors: string[] = [];
const api = apiAs(() => baseUrl, demoKey);

describe.skipIf(!runBrowser)('the Webhooks section of the Developer page in Chromium', () => {
  beforeAll(async () => {
    receiver = await Receiver.start();
    // Deliveries go to this test's receiver on loopback only, allowlisted exactly.
    ({ t, baseUrl } = await startDashboards(demoKey, {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP, reducedMotion: 'reduce' });
    recordPageErrors(page, pageErrors);
  }, 180_000);

  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  it('adds an endpoint (secret once), sends a signed test event, replays it, disables it', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('metric-views').waitFor();
    await page.getByRole('link', { name: 'Developer', exact: true }).click();
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhook endpoints yet').waitFor();

    // A refused URL shows the API's reason, with nothing created.
    await section.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await section.getByRole('button', { name: 'Add endpoint' }).click();
    await section
      .getByRole('alert')
      .filter({ hasText: /https?/i })
      .waitFor();
    expect((await api('{ webhookEndpoints { totalCount } }')).webhookEndpoints.totalCount).toBe(0);

    const url = `${receiver.url}/hook`;
    await section.getByLabel('Endpoint URL').fill(url);
    await section.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await section.getByTestId('webhook-secret-value').textContent())!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect((await page.content()).split(secret)).toHaveLength(2);
    await section.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.content()).not.toContain(secret);
    receiver.accept('/hook', secret);

    const endpoints = section.getByRole('list', { name: 'Webhook endpoints' });
    await endpoints.getByText(url).waitFor();
    expect(await accessibilitySweep(page, 'endpoint listed')).toEqual([]);

    // The test event reaches the receiver signed with that secret (verified by standardwebhooks),
    // and the log turns Delivered by itself.
    await endpoints.getByRole('button', { name: 'Send test event' }).click();
    await receiver.until(() => receiver.on('/hook').length === 1);
    const [first] = receiver.on('/hook');
    expect(first!.message.type).toBe('webhook.test');
    const log = section.getByRole('region', { name: `Deliveries to ${url}` });
    const row = log.getByRole('row').filter({ hasText: 'webhook.test' });
    await row.getByText('Delivered').waitFor();
    expect(await row.getByRole('cell', { name: 'HTTP 204' }).count()).toBe(1);

    // Replay sends the same message again: the same webhook-id, for the receiver to dedupe.
    await row.getByRole('button', { name: /^Replay webhook\.test/ }).click();
    await receiver.until(() => receiver.on('/hook').length === 2);
    expect(receiver.on('/hook')[1]!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(receiver.rejected).toEqual([]);
    expect(await accessibilitySweep(page, 'deliveries')).toEqual([]);
    await screenshotPair(page, 'webhooks', { desktop: DESKTOP });
    await page.setViewportSize(DESKTOP);

    // Disabled: marked so, and nothing can be sent to it.
    await endpoints.getByRole('button', { name: 'Disable' }).click();
    await endpoints.getByText('disabled', { exact: true }).waitFor();
    expect(await endpoints.getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(
      true,
    );
    const { webhookEndpoints } = await api('{ webhookEndpoints { edges { node { status } } } }');
    expect(webhookEndpoints.edges).toEqual([{ node: { status: 'DISABLED' } }]);

    // Deleted after confirming: gone from the list and from the API.
    await endpoints.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
    await section.getByText('No webhook endpoints yet').waitFor();
    expect((await api('{ webhookEndpoints { totalCount } }')).webhookEndpoints.totalCount).toBe(0);
  }, 180_000);
});

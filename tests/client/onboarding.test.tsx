import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OnboardingDocument,
  OverviewLiveDocument,
  OverviewPageDocument,
} from '../../client/src/gql/graphql.js';
import { OverviewPage } from '../../client/src/pages/overview-page.js';
import { curlCalls } from '../helpers/shell-curl.js';
import { liveAnalytics, onboardingAccount, overviewAnalytics, videoId } from './fixtures.js';
import { renderPage } from './render.js';

afterEach(cleanup);

const overview = (analytics: unknown) => ({
  request: {
    query: OverviewPageDocument,
    variables: {
      range: { preset: 'LAST_28_DAYS' },
      compare: 'PREVIOUS_PERIOD',
      filter: null,
      interval: 'DAY',
      metric: 'VIEWS',
      topMetric: 'VIEWS',
    },
  },
  result: { data: { __typename: 'Query', analytics } },
});
const account = (me: ReturnType<typeof onboardingAccount>) => ({
  request: { query: OnboardingDocument },
  result: { data: { __typename: 'Query', me } },
});
const live = {
  request: { query: OverviewLiveDocument },
  result: { data: { analyticsUpdated: liveAnalytics(0) } },
};

const command = (testId: string) => screen.getByTestId(testId).querySelector('code')!.textContent!;
const heading = () =>
  screen.findByRole('heading', { level: 2, name: 'Get your first numbers into Pulse' });

describe('onboarding on an empty overview', () => {
  it('takes a brand-new account through key, platform, video and events instead of zeros', async () => {
    renderPage(<OverviewPage />, {
      mocks: [overview(overviewAnalytics({ empty: true })), account(onboardingAccount()), live],
    });
    const section = (await heading()).closest('section')!;
    expect(screen.queryByTestId('metric-views')).toBeNull();
    expect(screen.queryByText('No views in this range')).toBeNull();
    expect(screen.queryByLabelText('Compare with')).toBeNull();

    const steps = within(section)
      .getAllByRole('heading', { level: 3 })
      .map((h) => h.textContent);
    expect(steps).toEqual([
      '1. Get an API key',
      '2. Connect a platform',
      '3. Add a video',
      '4. Push your first events',
    ]);
    // Where the key comes from, and how it gets into the shell without being echoed.
    expect(within(section).getByRole('link', { name: 'Developer page' }).getAttribute('href')).toBe(
      '/developer',
    );
    expect(command('command-key')).toBe(
      `read -rsp 'Pulse API key: ' PULSE_KEY && export PULSE_KEY`,
    );
    expect(screen.getByTestId('no-platform').textContent).toContain('No platform is connected');
    expect(section.textContent).toContain(window.location.origin);

    // The create-video command, run as a shell would, is a createVideo mutation on this server.
    const [create] = curlCalls(command('command-create-video'), { PULSE_KEY: 'pulse_test' });
    expect(create!.url).toBe(`${window.location.origin}/graphql`);
    expect(create!.init.headers).toEqual({
      authorization: 'Bearer pulse_test',
      'content-type': 'application/json',
    });
    const body = JSON.parse(create!.init.body!);
    expect(body.query).toMatch(
      /^mutation\(\$input: CreateVideoInput!\) \{ createVideo\(input: \$input\)/,
    );
    expect(body.variables.input).toEqual({
      title: 'My first video',
      url: 'https://example.com/videos/my-first-video.mp4',
    });
    // Without a video yet, the events step says what the variables are instead of inventing ids.
    expect(command('command-variables')).toBe(
      `export VIDEO_ID='<your video id>' PLATFORM='<its platform, e.g. YOUTUBE>'`,
    );
  });

  it('fills in the published video and its platform, in the README’s wire format', async () => {
    renderPage(<OverviewPage />, {
      mocks: [
        overview(overviewAnalytics({ empty: true })),
        account(onboardingAccount({ channels: ['TIKTOK'], video: { status: 'PUBLISHED' } })),
        live,
      ],
    });
    const section = (await heading()).closest('section')!;
    expect(within(section).getAllByText('Done')).toHaveLength(2);
    expect(section.textContent).toContain(
      `“My first video” is published on TikTok. Its id is ${videoId(1)}.`,
    );
    expect(command('command-variables')).toBe(`export VIDEO_ID='${videoId(1)}' PLATFORM='TIKTOK'`);
    const origin = window.location.origin;
    expect(command('command-ingest')).toBe(
      `curl -s ${origin}/ingest -H "Authorization: Bearer $PULSE_KEY" \\
  -H 'Content-Type: application/json' \\
  -d '[{"id":"first-views-1","video":"'"$VIDEO_ID"'","platform":"'"$PLATFORM"'","metric":"VIEWS","delta":25},
       {"id":"first-likes-1","video":"'"$VIDEO_ID"'","platform":"'"$PLATFORM"'","metric":"LIKES","total":3}]'
# {"accepted":2,"duplicates":0,"rejected":[]}`,
    );

    const script = `${command('command-variables')}\n${command('command-ingest')}\n${command('command-record-metrics')}`;
    const [ingest, record] = curlCalls(script, { PULSE_KEY: 'pulse_test' });
    expect(ingest!.url).toBe(`${origin}/ingest`);
    expect(JSON.parse(ingest!.init.body!)).toEqual([
      { id: 'first-views-1', video: videoId(1), platform: 'TIKTOK', metric: 'VIEWS', delta: 25 },
      { id: 'first-likes-1', video: videoId(1), platform: 'TIKTOK', metric: 'LIKES', total: 3 },
    ]);
    expect(record!.url).toBe(`${origin}/graphql`);
    expect(JSON.parse(record!.init.body!).variables).toEqual({
      e: [
        { id: 'first-views-2', video: videoId(1), platform: 'TIKTOK', metric: 'VIEWS', delta: 3 },
      ],
    });
  });

  it('offers to publish a draft on the connected platform, setting its url when it has none', async () => {
    renderPage(<OverviewPage />, {
      mocks: [
        overview(overviewAnalytics({ empty: true })),
        account(
          onboardingAccount({ channels: ['YOUTUBE'], video: { status: 'DRAFT', url: null } }),
        ),
        live,
      ],
    });
    const section = (await heading()).closest('section')!;
    expect(within(section).getByText('@pulse-youtube')).toBeTruthy();
    const [publish] = curlCalls(command('command-publish'), { PULSE_KEY: 'k' });
    const body = JSON.parse(publish!.init.body!);
    expect(body.variables).toEqual({ id: videoId(1) });
    expect(body.query).toContain(
      'updateVideo(input: { id: $id, url: "https://example.com/videos/my-first-video.mp4" })',
    );
    expect(body.query).toContain('publishVideo(input: { id: $id, platforms: [YOUTUBE] })');
    expect(command('command-variables')).toBe(`export VIDEO_ID='${videoId(1)}' PLATFORM='YOUTUBE'`);
  });

  it('copies a command', async () => {
    const user = userEvent.setup();
    renderPage(<OverviewPage />, {
      mocks: [overview(overviewAnalytics({ empty: true })), account(onboardingAccount()), live],
    });
    await heading();
    await user.click(screen.getByRole('button', { name: 'Copy: Push events over POST /ingest' }));
    expect(await navigator.clipboard.readText()).toBe(command('command-ingest'));
    expect(within(screen.getByTestId('command-ingest')).getByRole('status').textContent).toBe(
      'Copied.',
    );
  });

  it('keeps the dashboard for an account with history whose range is quiet', async () => {
    renderPage(<OverviewPage />, {
      mocks: [
        overview(overviewAnalytics({ empty: true })),
        account(
          onboardingAccount({ channels: ['YOUTUBE'], video: { status: 'PUBLISHED', views: 5 } }),
        ),
        live,
      ],
    });
    expect(await screen.findByText('No views in this range')).toBeTruthy();
    expect(screen.getByTestId('metric-views')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Get your first numbers into Pulse' })).toBeNull();
  });
});

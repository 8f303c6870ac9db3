import { useQuery } from '@apollo/client/react';
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from '../auth/session-context.js';
import { graphql } from '../gql/index.js';
import type { OnboardingQuery as OnboardingAnswer, Platform } from '../gql/graphql.js';
import { PLATFORM_LABELS } from '../lib/format.js';
import { Skeleton } from './states.js';

// Asked only when the overview came back empty: is this an account with nothing in it yet?
// Under `me` (not Query.videos) so these one-item lists never share the content list's cache.
const OnboardingQuery = graphql(`
  query Onboarding {
    me {
      id
      channels {
        id
        platform
        handle
      }
      mostViewed: videos(first: 1, orderBy: { field: VIEWS, direction: DESC }) {
        totalCount
        edges {
          node {
            id
            title
            url
            stats {
              views
            }
            publications {
              id
              platform
            }
          }
        }
      }
      published: videos(first: 1, filter: { status: [PUBLISHED] }) {
        edges {
          node {
            id
            title
            publications {
              id
              platform
            }
          }
        }
      }
    }
  }
`);

const curl = (origin: string, path: string) =>
  `curl -s ${origin}${path} -H "Authorization: Bearer $PULSE_KEY" \\\n  -H 'Content-Type: application/json' \\\n`;

/** Reads the key without echoing it or leaving it in the shell history. */
export const KEY_COMMAND = `read -rsp 'Pulse API key: ' PULSE_KEY && export PULSE_KEY`;

export function createVideoCommand(origin: string) {
  const body = {
    query:
      'mutation($input: CreateVideoInput!) { createVideo(input: $input) { video { id title } userErrors { field code message } } }',
    variables: {
      input: { title: 'My first video', url: 'https://example.com/videos/my-first-video.mp4' },
    },
  };
  return `${curl(origin, '/graphql')}  -d '${JSON.stringify(body)}'`;
}

/** Publishing needs the video's url: a video without one gets it set in the same request. */
export function publishVideoCommand(
  origin: string,
  videoId: string,
  platform: Platform,
  hasUrl: boolean,
) {
  const setUrl = hasUrl
    ? ''
    : 'updateVideo(input: { id: $id, url: "https://example.com/videos/my-first-video.mp4" }) { userErrors { field code message } } ';
  const body = {
    query: `mutation($id: ID!) { ${setUrl}publishVideo(input: { id: $id, platforms: [${platform}] }) { video { id status } userErrors { field code message } } }`,
    variables: { id: videoId },
  };
  return `${curl(origin, '/graphql')}  -d '${JSON.stringify(body)}'`;
}

/** The README's wire format: the shell splices $VIDEO_ID and $PLATFORM into the JSON. */
const VIDEO = `"video":"'"$VIDEO_ID"'","platform":"'"$PLATFORM"'"`;

export function variablesCommand(videoId: string | null, platform: Platform | null) {
  return `export VIDEO_ID='${videoId ?? '<your video id>'}' PLATFORM='${platform ?? '<its platform, e.g. YOUTUBE>'}'`;
}

export function ingestCommand(origin: string) {
  return (
    `${curl(origin, '/ingest')}` +
    `  -d '[{"id":"first-views-1",${VIDEO},"metric":"VIEWS","delta":25},\n` +
    `       {"id":"first-likes-1",${VIDEO},"metric":"LIKES","total":3}]'\n` +
    `# {"accepted":2,"duplicates":0,"rejected":[]}`
  );
}

export function recordMetricsCommand(origin: string) {
  return (
    `${curl(origin, '/graphql')}` +
    `  -d '{"query":"mutation($e: [MetricEventInput!]!) { recordMetrics(input: { events: $e }) { accepted duplicates rejected { index code message } } }","variables":{"e":[{"id":"first-views-2",${VIDEO},"metric":"VIEWS","delta":3}]}}'`
  );
}

function Command({ label, text, testId }: { label: string; text: string; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <div className="command" data-testid={testId}>
      <pre className="command-text">
        <code>{text}</code>
      </pre>
      <div className="command-actions">
        <button
          type="button"
          className="button button-small"
          aria-label={`Copy: ${label}`}
          onClick={() => {
            const clipboard = globalThis.navigator?.clipboard;
            if (!clipboard) return setCopied('no');
            clipboard.writeText(text).then(
              () => setCopied('yes'),
              () => setCopied('no'),
            );
          }}
        >
          Copy
        </button>
        <span className="muted small" role="status">
          {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Select the text to copy it.' : ''}
        </span>
      </div>
    </div>
  );
}

function Step({ title, done, children }: { title: string; done: boolean; children: ReactNode }) {
  return (
    <li className={done ? 'onboarding-step onboarding-step-done' : 'onboarding-step'}>
      <h3 className="onboarding-step-title">
        {title}
        {done ? <span className="badge badge-active onboarding-done">Done</span> : null}
      </h3>
      {children}
    </li>
  );
}

/** What the overview answered: empty means no views and no top content in the range. */
export interface OverviewAnswer {
  totals: { views: { value: number } };
  topVideos: readonly unknown[];
}

/**
 * For an overview that came back empty: the onboarding steps when the account is new (no
 * video, or no views on any), a placeholder while that is being checked, else null (a quiet
 * range of an account with history keeps its dashboard and empty states, as does an answer
 * this cannot get, e.g. a key without `read:user`).
 */
export function useOnboarding({
  empty,
  onRefresh,
  origin = globalThis.location?.origin ?? '',
}: {
  /** The overview's answer, or null when it is filtered (or not there yet). */
  empty: OverviewAnswer | null;
  /** Reads the overview again (after events were pushed); resolves when it has. */
  onRefresh?: () => Promise<unknown>;
  origin?: string;
}): ReactNode {
  const active = empty !== null && empty.totals.views.value === 0 && empty.topVideos.length === 0;
  const { data, error, loading, refetch } = useQuery(OnboardingQuery, {
    skip: !active,
    fetchPolicy: 'cache-and-network',
  });
  if (!active || error) return null;
  if (!data) return <Skeleton lines={3} label="Checking your account" />;
  const top = data.me.mostViewed.edges[0]?.node;
  if (data.me.mostViewed.totalCount > 0 && (top?.stats.views ?? 0) > 0) return null;
  return (
    <Onboarding
      account={data.me}
      origin={origin}
      checking={loading}
      onCheck={() => {
        // The overview first: were the account's own check first to see views, the dashboard
        // would replace these steps while still showing the overview's old zeros.
        void (async () => {
          await onRefresh?.();
          await refetch();
        })().catch(() => {});
      }}
    />
  );
}

/**
 * The steps to a new account's first numbers, with commands filled in with this server's
 * origin and the account's own video and platform.
 */
export function Onboarding({
  account,
  origin,
  checking,
  onCheck,
}: {
  account: OnboardingAnswer['me'];
  origin: string;
  checking: boolean;
  onCheck: () => void;
}) {
  const titleId = useId();
  const { credential } = useSession();
  const { channels, mostViewed, published } = account;
  const top = mostViewed.edges[0]?.node;

  const publishedVideo = published.edges[0]?.node ?? null;
  const draft = publishedVideo ? null : (top ?? null);
  const platform: Platform | null =
    publishedVideo?.publications[0]?.platform ?? channels[0]?.platform ?? null;
  const eventsVideoId = publishedVideo?.id ?? draft?.id ?? null;

  return (
    <section className="card onboarding" aria-labelledby={titleId}>
      <h2 id={titleId} className="onboarding-title">
        Get your first numbers into Pulse
      </h2>
      <p className="onboarding-lede">
        This account has no views yet, so there is nothing to chart. Pulse counts the events you (or
        your integration) send it: run these from a terminal. Every command is ready to paste and
        talks to this server, <code>{origin}</code>.
      </p>
      <ol className="onboarding-steps">
        <Step title="1. Get an API key" done={false}>
          <p>
            {credential?.kind === 'api-key'
              ? 'Use the key you signed in with, or create one '
              : 'Create one '}
            on the <Link to="/developer">Developer page</Link> with the <code>write:videos</code>{' '}
            and <code>write:metrics</code> scopes (the secret is shown once). Then give it to your
            shell; it is read without echoing:
          </p>
          <Command
            label="Store your API key in the shell"
            text={KEY_COMMAND}
            testId="command-key"
          />
        </Step>

        <Step title="2. Connect a platform" done={channels.length > 0}>
          {channels.length ? (
            <ul className="plain-list">
              {channels.map((channel) => (
                <li key={channel.id}>
                  <span className={`platform platform-${channel.platform}`}>
                    {PLATFORM_LABELS[channel.platform]}
                  </span>{' '}
                  {channel.handle}
                </li>
              ))}
            </ul>
          ) : (
            <p className="notice" data-testid="no-platform">
              No platform is connected to this account yet, and Pulse cannot connect one from the
              dashboards or the API: ask whoever runs this server to add your channel (YouTube,
              TikTok, Instagram or X). Until then you can create videos, but not publish them, and
              events count only for published videos.
            </p>
          )}
        </Step>

        <Step title="3. Add a video" done={publishedVideo !== null}>
          {publishedVideo ? (
            <p>
              “{publishedVideo.title}” is published
              {platform ? ` on ${PLATFORM_LABELS[platform]}` : ''}. Its id is{' '}
              <code>{publishedVideo.id}</code>.
            </p>
          ) : draft ? (
            channels.length && platform ? (
              <>
                <p>
                  Publish “{draft.title}” on {PLATFORM_LABELS[platform]}, so its events have
                  somewhere to count:
                </p>
                <Command
                  label="Publish your video"
                  text={publishVideoCommand(origin, draft.id, platform, Boolean(draft.url))}
                  testId="command-publish"
                />
              </>
            ) : (
              <p>
                “{draft.title}” (id <code>{draft.id}</code>) is waiting for a platform to be
                published on.
              </p>
            )
          ) : (
            <>
              <p>
                Create one; the answer holds its id (also in the address of its page under{' '}
                <Link to="/content">Content</Link>). Then check again below for the next step,
                filled in with it.
              </p>
              <Command
                label="Create a video"
                text={createVideoCommand(origin)}
                testId="command-create-video"
              />
            </>
          )}
        </Step>

        <Step title="4. Push your first events" done={false}>
          <p>
            Name the video and one platform it is published on
            {eventsVideoId ? ' (filled in with yours)' : ''}:
          </p>
          <Command
            label="Set the video and platform"
            text={variablesCommand(eventsVideoId, platform)}
            testId="command-variables"
          />
          <p>
            Then send events over <code>POST /ingest</code> (a JSON array or NDJSON, up to 10,000
            events). Each <code>id</code> counts once: sent again, it answers as a duplicate.
          </p>
          <Command
            label="Push events over POST /ingest"
            text={ingestCommand(origin)}
            testId="command-ingest"
          />
          <p>Or with the GraphQL mutation:</p>
          <Command
            label="Push events with recordMetrics"
            text={recordMetricsCommand(origin)}
            testId="command-record-metrics"
          />
        </Step>
      </ol>
      <div className="onboarding-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={checking}
          onClick={onCheck}
        >
          Check again
        </button>
        <span className="muted small">
          The overview appears here as soon as this account has views.
        </span>
      </div>
    </section>
  );
}

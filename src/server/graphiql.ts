import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphiQLOptions } from 'graphql-yoga';
import type { Db } from '../db/client.js';
import { newestDemoVideo } from '../modules/demo/demo-video.js';

/** Operations preloaded as GraphiQL tabs; the README's curl example uses the first. */
export const EXAMPLE_QUERY = /* GraphQL */ `
  # Your five most viewed videos, with per-platform numbers.
  query TopVideos {
    me {
      name
      plan
    }
    videos(first: 5, orderBy: { field: VIEWS, direction: DESC }) {
      totalCount
      edges {
        node {
          id
          title
          stats {
            views
            likes
            engagementRate
          }
          publications {
            platform
            stats {
              views
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const EXAMPLE_MUTATION = /* GraphQL */ `
  # Create a draft; use the returned id to publish it or to watch it live.
  mutation CreateVideo {
    createVideo(
      input: { title: "Behind the scenes", url: "https://example.com/bts.mp4", tags: ["vlog"] }
    ) {
      video {
        id
        title
        status
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

export const EXAMPLE_SUBSCRIPTION = /* GraphQL */ `
  # Press Run: the video's view count now, then each second while it gains views (in demo mode
  # the newest videos keep gaining views). Any video id works: take one from TopVideos.
  subscription WatchVideo($videoId: ID!) {
    videoViewsUpdated(videoId: $videoId, minIntervalMs: 1000) {
      views
      delta
      viewsPerMinute
      at
      video {
        title
      }
    }
  }
`;

/**
 * GraphiQL's settings, rendered per page view so the live tab names a video that exists (the demo
 * creator's newest, which demo traffic keeps moving). Subscriptions go over SSE: the HTTP request
 * carries the headers typed in GraphiQL's editor (graphql-ws would need them in connection_init,
 * which GraphiQL does not send), and a refused credential comes back as an error response shown
 * in the result pane.
 */
export function graphiqlOptions(
  db: Db,
  demoApiKey: string | undefined,
): () => Promise<GraphiQLOptions> {
  return async () => {
    // The page still renders (with a placeholder id) while the database does not answer.
    const video = demoApiKey ? await newestDemoVideo(db).catch(() => null) : null;
    return {
      title: 'Pulse GraphiQL',
      subscriptionsProtocol: 'SSE',
      defaultTabs: [
        { query: EXAMPLE_QUERY },
        { query: EXAMPLE_MUTATION },
        {
          query: EXAMPLE_SUBSCRIPTION,
          variables: JSON.stringify(
            { videoId: video ? encodeGlobalID('Video', video.id) : '<a video id from TopVideos>' },
            null,
            2,
          ),
        },
      ],
      headers: JSON.stringify(
        { Authorization: `Bearer ${demoApiKey ?? '<your API key>'}` },
        null,
        2,
      ),
    };
  };
}

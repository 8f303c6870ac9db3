import type { GraphiQLOptions } from 'graphql-yoga';

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
  # Paste a video id, run, then change the video from another tab (updateVideo / publishVideo).
  subscription WatchVideo($id: ID!) {
    videoUpdated(id: $id) {
      title
      status
      publications {
        platform
      }
      stats {
        views
      }
    }
  }
`;

export function graphiqlOptions(demoApiKey: string | undefined): GraphiQLOptions {
  return {
    title: 'Pulse GraphiQL',
    subscriptionsProtocol: 'WS',
    defaultTabs: [
      { query: EXAMPLE_QUERY },
      { query: EXAMPLE_MUTATION },
      {
        query: EXAMPLE_SUBSCRIPTION,
        variables: JSON.stringify({ id: 'paste a video id' }, null, 2),
      },
    ],
    headers: JSON.stringify({ Authorization: `Bearer ${demoApiKey ?? '<your API key>'}` }, null, 2),
  };
}

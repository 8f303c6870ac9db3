/**
 * Integrator example: follow one video's view count live with urql over graphql-ws: the count
 * now, then the latest count at most once a second while it rises.
 *
 *   PULSE_URL=http://127.0.0.1:4000 PULSE_API_KEY=pulse_… npm run example:watch -- <video id>
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from '../src/gql/index.js';

const WatchVideo = graphql(`
  subscription WatchVideoExample($id: ID!) {
    videoViewsUpdated(videoId: $id, minIntervalMs: 1000) {
      views
      delta
      viewsPerMinute
      at
      video {
        id
        title
      }
    }
  }
`);

const baseUrl = process.env['PULSE_URL'] ?? 'http://127.0.0.1:4000';
const apiKey = process.env['PULSE_API_KEY'];
const videoId = process.argv[2];
if (!apiKey || !videoId) {
  process.stderr.write('usage: PULSE_API_KEY=pulse_… npm run example:watch -- <video id>\n');
  process.exit(2);
}

const ws = createWsClient({
  url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${apiKey}` },
});

const client = new Client({
  url: `${baseUrl}/graphql`,
  fetchOptions: { headers: { authorization: `Bearer ${apiKey}` } },
  exchanges: [
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({
          unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
        }),
      }),
    }),
    fetchExchange,
  ],
});

client.subscription(WatchVideo, { id: videoId }).subscribe((result) => {
  if (result.error) {
    process.stderr.write(`error: ${result.error.message}\n`);
    process.exit(1);
  }
  const update = result.data?.videoViewsUpdated;
  if (update) {
    process.stdout.write(
      `${update.at} ${update.video.title} views=${update.views} +${update.delta} (${update.viewsPerMinute}/min)\n`,
    );
  }
});

/**
 * Integrator example: follow one video live with urql over graphql-ws and print every update.
 *
 *   PULSE_URL=http://127.0.0.1:4000 PULSE_API_KEY=pulse_… npm run example:watch -- <video id>
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from '../src/gql/index.js';

const WatchVideo = graphql(`
  subscription WatchVideoExample($id: ID!) {
    videoUpdated(id: $id) {
      id
      title
      status
      stats {
        views
        likes
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
  const video = result.data?.videoUpdated;
  if (video) {
    process.stdout.write(
      `${new Date().toISOString()} ${video.title} [${video.status}] views=${video.stats.views} likes=${video.stats.likes}\n`,
    );
  }
});

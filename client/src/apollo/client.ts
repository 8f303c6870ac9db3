import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { relayStylePagination } from '@apollo/client/utilities';
import { createClient, type Client as WsClient } from 'graphql-ws';
import type { Session } from '../auth/session.js';
import { createActivity, isSubscription, type Activity } from './activity.js';
import { createAuthLink } from './auth-link.js';
import { watchConnection, type LiveConnection } from './connection.js';
import { persistedHash, persistedHashLink, withPersistedTexts } from './persisted.js';

/** graphql-ws close code for refused credentials (the server closes with it). */
const WS_FORBIDDEN = 4403;

export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // One cached list per filter and order; pages append as the user scrolls.
          videos: relayStylePagination(['filter', 'orderBy']),
        },
      },
      // Objects without ids: merge what different queries select (same arguments, same answer).
      MetricTotals: { merge: true },
      Analytics: { merge: true },
      VideoAnalytics: { merge: true },
    },
  });
}

export interface ClientOptions {
  session: Session;
  /** Base URL of the API; '' for the page's own origin. */
  baseUrl?: string;
  /**
   * Send only the operation's hash (its key in client/src/gql/persisted-documents.json) when the
   * server accepts persisted documents; the full text follows only if the server asks for it.
   */
  persistedDocuments?: boolean;
}

export interface PulseClient {
  apollo: ApolloClient;
  ws: WsClient;
  /** Requests in flight (the progress bar). */
  activity: Activity;
  /** The live socket's state (the live counters). */
  connection: LiveConnection;
  /** Drops the socket (its credentials are stale) and everything cached for the old viewer. */
  reset(): Promise<void>;
}

export function createPulseClient({
  session,
  baseUrl = '',
  persistedDocuments = false,
}: ClientOptions): PulseClient {
  const origin = baseUrl || globalThis.location.origin;
  const ws = createClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    lazy: true,
    // Read at every (re)connect, so a refreshed token or a new sign-in is picked up.
    connectionParams: async () => {
      const authorization = await session.authorization();
      return authorization ? { authorization } : {};
    },
    retryAttempts: Infinity,
    shouldRetry: (event) =>
      !(typeof event === 'object' && event && 'code' in event && event.code === WS_FORBIDDEN),
    on: {
      closed: (event) => {
        if ((event as CloseEvent | undefined)?.code === WS_FORBIDDEN) session.signOut('rejected');
      },
    },
  });

  const http = new HttpLink({ uri: `${baseUrl}/graphql` });
  // Hash first (the server knows the manifest); the full text only if the server asks for it.
  const httpChain = persistedDocuments
    ? ApolloLink.from([
        new PersistedQueryLink({ generateHash: (document) => persistedHash(document) ?? '' }),
        http,
      ])
    : http;
  const { activity, link: activityLink } = createActivity();

  const apollo = new ApolloClient({
    cache: createCache(),
    dataMasking: true,
    link: ApolloLink.from([
      activityLink,
      createAuthLink(session),
      ApolloLink.split(
        ({ query }) => isSubscription(query),
        ApolloLink.from([persistedHashLink, new GraphQLWsLink(withPersistedTexts(ws))]),
        httpChain,
      ),
    ]),
    clientAwareness: { name: 'pulse-dashboards', version: '1' },
  });

  return {
    apollo,
    ws,
    activity,
    connection: watchConnection(ws),
    async reset() {
      ws.terminate();
      await apollo.clearStore();
    },
  };
}

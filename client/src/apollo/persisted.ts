import { ApolloLink, type DocumentNode } from '@apollo/client';
import type { Client } from 'graphql-ws';
import manifest from '../gql/persisted-documents.json' with { type: 'json' };

const texts: Record<string, string> = manifest;

/** The document's key in persisted-documents.json (set by graphql-codegen on every document). */
export const persistedHash = (document: DocumentNode) =>
  (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;

/** Names each operation's persisted document in its extensions (Apollo's persisted-query form). */
export const persistedHashLink = new ApolloLink((operation, forward) => {
  const hash = persistedHash(operation.query);
  if (hash) operation.extensions['persistedQuery'] = { version: 1, sha256Hash: hash };
  return forward(operation);
});

/**
 * Subscriptions go over graphql-ws with their full text, which a server that accepts only
 * persisted documents compares with its manifest: send the manifest's exact text rather than
 * Apollo's re-print of the parsed document.
 */
export function withPersistedTexts(client: Client): Client {
  return {
    ...client,
    subscribe(payload, sink) {
      const hash = (payload.extensions?.['persistedQuery'] as { sha256Hash?: string } | undefined)
        ?.sha256Hash;
      const text = hash ? texts[hash] : undefined;
      return client.subscribe(text ? { ...payload, query: text } : payload, sink);
    },
  };
}

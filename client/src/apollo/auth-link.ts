import { ApolloLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import type { Credential } from '../auth/credential.js';
import type { Session } from '../auth/session.js';
import { isUnauthenticated } from './errors.js';

/** Context key: the session credential an operation was sent with (none: its own header). */
const SENT_WITH = 'pulseCredential';

/**
 * The one place where credentials meet operations, for every query, mutation and subscription
 * of every page: the session's credential goes out with each, and the server refusing it
 * (UNAUTHENTICATED) signs the session out, so no page is left retrying a dead key.
 *
 * Left alone: an operation with its own Authorization header (the sign-in form checking a key),
 * and a late refusal of a credential the session no longer holds (someone signed in since).
 */
export function createAuthLink(session: Session): ApolloLink {
  const attach = new SetContextLink(async (previous) => {
    const headers = (previous['headers'] ?? {}) as Record<string, string>;
    if (headers['authorization']) return {};
    // Read after authorization(): an OAuth refresh may just have replaced the credential.
    const authorization = await session.authorization();
    return {
      [SENT_WITH]: session.current(),
      headers: { ...headers, ...(authorization ? { authorization } : {}) },
    };
  });

  const signOutOnRefusal = new ErrorLink(({ error, operation }) => {
    const sentWith = operation.getContext()[SENT_WITH] as Credential | null | undefined;
    if (sentWith && sentWith === session.current() && isUnauthenticated(error)) {
      session.signOut('rejected');
    }
  });

  return ApolloLink.from([signOutOnRefusal, attach]);
}

import { GraphQLError } from 'graphql';

/** Errors of the protection plugins, shaped like src/errors.ts's (code + HTTP status). */
function limitError(
  code: string,
  message: string,
  status: number,
  extensions: Record<string, unknown> = {},
  headers?: Record<string, string>,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...extensions, http: { status, ...(headers ? { headers } : {}) } },
  });
}

/** Over a document limit (depth, aliases, tokens, directives) or the tier's cost limit. */
export const queryTooComplex = (message: string, extensions?: Record<string, unknown>) =>
  limitError('QUERY_TOO_COMPLEX', message, 400, extensions);

export const rateLimited = (
  message: string,
  extensions: Record<string, unknown>,
  headers: Record<string, string>,
) => limitError('RATE_LIMITED', message, 429, extensions, headers);

/** A `documentId` / persisted-query hash the server does not know (Apollo's code). */
export const persistedQueryNotFound = () =>
  limitError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', 400);

/** This client must send known documents (by id), not ad-hoc ones. */
export const persistedQueryRequired = () =>
  limitError(
    'PERSISTED_QUERY_REQUIRED',
    'This client may only run persisted documents: send their documentId.',
    400,
  );

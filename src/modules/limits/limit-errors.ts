import {
  GraphQLError,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';

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

/**
 * An error as a client sees it. `extensions.http` (status and headers) is for yoga's status line
 * on HTTP, which strips it from bodies itself; graphql-ws would send it as is.
 */
export function errorWithoutInternals(error: GraphQLError): GraphQLFormattedError {
  const json = error.toJSON();
  if (!json.extensions || !('http' in json.extensions)) return json;
  const { http: _http, ...extensions } = json.extensions;
  const { extensions: _extensions, ...rest } = json;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

export function resultWithoutInternals(result: ExecutionResult): FormattedExecutionResult {
  const { errors, ...rest } = result;
  return errors ? { ...rest, errors: errors.map(errorWithoutInternals) } : rest;
}

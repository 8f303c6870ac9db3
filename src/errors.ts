import { GraphQLError } from 'graphql';

/**
 * Exceptional errors: thrown, carry `extensions.code`, and set the HTTP status yoga answers with.
 * Expected outcomes of mutations (validation, conflicts) are returned as `UserError` data instead.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INSUFFICIENT_SCOPE'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'SERVICE_UNAVAILABLE'
  | 'CLIENT_CLOSED_REQUEST'
  | 'INTERNAL_SERVER_ERROR';

interface ErrorOptions {
  status?: number;
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

function apiError(code: ErrorCode, message: string, options: ErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code,
      ...options.extensions,
      ...(options.status ? { http: { status: options.status, headers: options.headers } } : {}),
    },
  });
}

export const WWW_AUTHENTICATE = 'Bearer realm="pulse"';

export const unauthenticated = (
  message = 'Authentication required: send Authorization: Bearer <api key>.',
) =>
  apiError('UNAUTHENTICATED', message, {
    status: 401,
    headers: { 'WWW-Authenticate': WWW_AUTHENTICATE },
  });

export const forbidden = (message = 'You are not allowed to do this.') =>
  apiError('FORBIDDEN', message, { status: 403 });

export const insufficientScope = (scope: string) =>
  apiError('INSUFFICIENT_SCOPE', `This needs the "${scope}" scope.`, {
    status: 403,
    headers: {
      'WWW-Authenticate': `${WWW_AUTHENTICATE}, error="insufficient_scope", scope="${scope}"`,
    },
    extensions: { scope },
  });

export const notFound = (what: string) => apiError('NOT_FOUND', `${what} not found.`);

export const badUserInput = (message: string, extensions?: Record<string, unknown>) =>
  apiError('BAD_USER_INPUT', message, { status: 400, extensions });

export const serviceUnavailable = (
  message = 'The service is temporarily unavailable.',
  retryAfterSeconds = 5,
) =>
  apiError('SERVICE_UNAVAILABLE', message, {
    status: 503,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });

/** The database is down, restarting or stalled; clients retry (ingest: with the same event ids). */
export const databaseUnavailable = () =>
  serviceUnavailable('The database is temporarily unavailable; retry shortly.', 2);

/** The client went away before its operation ran; nobody reads this, logs and metrics do. */
export const clientClosedRequest = () =>
  apiError('CLIENT_CLOSED_REQUEST', 'The client closed the request before it ran.', {
    status: 499,
  });

/**
 * An error answered outside GraphQL execution (non-GraphQL routes, request guards), in the same
 * `{ errors: [{ message, extensions: { code } }] }` shape clients already parse.
 */
export function problemResponse(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { errors: [{ message, extensions: { code } }] },
    { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } },
  );
}

/** The same error answered outside GraphQL: its code, status and headers (401 when it has none). */
export function problemFromError(error: GraphQLError): Response {
  const http = error.extensions['http'] as
    { status?: number; headers?: Record<string, string> } | undefined;
  const code =
    typeof error.extensions['code'] === 'string' ? error.extensions['code'] : 'UNAUTHENTICATED';
  return problemResponse(http?.status ?? 401, code, error.message, http?.headers ?? {});
}

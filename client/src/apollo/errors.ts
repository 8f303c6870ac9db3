import { CombinedGraphQLErrors, ServerError, type ErrorLike } from '@apollo/client';

/** The `extensions.code`s an error carries, wherever it came from (GraphQL result or HTTP). */
export function errorCodes(error: ErrorLike | null | undefined): string[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((entry) => String(entry.extensions?.['code'] ?? ''));
  }
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as {
        errors?: { extensions?: { code?: string } }[];
      };
      const codes = (body.errors ?? []).map((entry) => entry.extensions?.code ?? '');
      if (codes.some(Boolean)) return codes;
    } catch {
      // Not a GraphQL body (a proxy's HTML page, say): fall back to the status.
    }
    if (error.statusCode === 401) return ['UNAUTHENTICATED'];
    if (error.statusCode === 429) return ['RATE_LIMITED'];
    if (error.statusCode === 503) return ['SERVICE_UNAVAILABLE'];
    return [`HTTP_${error.statusCode}`];
  }
  return [];
}

export function isUnauthenticated(error: ErrorLike | null | undefined) {
  return errorCodes(error).includes('UNAUTHENTICATED');
}

/** A sentence a person can act on, never a stack or a server message we did not design. */
export function describeError(error: ErrorLike): string {
  const codes = errorCodes(error);
  if (codes.includes('UNAUTHENTICATED')) return 'Your credentials were refused. Sign in again.';
  if (codes.includes('INSUFFICIENT_SCOPE') || codes.includes('FORBIDDEN'))
    return 'Your credentials do not allow this. Use a key with the needed scope.';
  if (codes.includes('RATE_LIMITED')) return 'Too many requests for your plan. Try again shortly.';
  if (codes.includes('SERVICE_UNAVAILABLE')) return 'The server is busy. Try again in a moment.';
  if (codes.includes('NOT_FOUND')) return 'Not found.';
  if (codes.includes('BAD_USER_INPUT')) return 'The request was not valid. Check the filters.';
  if (CombinedGraphQLErrors.is(error)) return 'The server could not answer this request.';
  if (ServerError.is(error)) return `The server answered with an error (${error.statusCode}).`;
  return 'The server could not be reached. Check your connection.';
}

/** PostgreSQL error code of a failed statement, looking through drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let current = error; current && typeof current === 'object';) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';

/** The guard's own fail-fast and dead-connection errors (see connection-guard.ts). */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message = 'The database is unreachable.') {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

// Socket errors and postgres.js's connection errors: the database cannot be reached at all.
const UNREACHABLE_CODES = new Set([
  'DATABASE_UNAVAILABLE',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_DESTROYED',
]);

/**
 * PostgreSQL's own "not now" answers: connection exceptions (class 08), shutdown and start-up
 * (57P01-57P03), too many connections (53300).
 */
const isUnavailableSqlState = (code: string) =>
  code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);

/**
 * True when a failure means "the database is away" (down, restarting, stalled, closed) rather
 * than "this statement is wrong": callers answer 503 with Retry-After instead of 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error; current && typeof current === 'object';) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (UNREACHABLE_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)) return true;
    }
    if (current instanceof Error && current.message === 'PGlite is closed') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Shortest accepted signing key (EXPORT_SIGNING_KEYS entries). */
export const MIN_SIGNING_KEY_LENGTH = 32;

export type LinkCheck = 'valid' | 'expired' | 'invalid';

const mac = (key: string, subject: string, expires: number) =>
  createHmac('sha256', key).update(`${subject}.${expires}`).digest('base64url');

/**
 * Signs `subject` (e.g. an export id) until `expiresAt`, as whole unix seconds rounded down, so a
 * link never outlives the time asked for. keys[0] signs; the others only verify (rotation).
 */
export function signLink(
  subject: string,
  expiresAt: Date,
  keys: readonly string[],
): { expires: number; signature: string } {
  const key = keys[0];
  if (!key) throw new Error('signLink: no signing key');
  const expires = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(expires) || expires < 0)
    throw new RangeError('signLink: expiresAt is not a valid date');
  return { expires, signature: mac(key, subject, expires) };
}

/** Unix seconds exactly as signLink writes them: digits, no sign, no leading zero, no spaces. */
function parseExpires(expires: unknown): number | null {
  if (typeof expires === 'number')
    return Number.isSafeInteger(expires) && expires >= 0 ? expires : null;
  if (typeof expires !== 'string' || !/^(0|[1-9]\d{0,15})$/.test(expires)) return null;
  const value = Number(expires);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * `valid`, `expired` (the signature is right but the time has passed), or `invalid` (anything
 * tampered with, malformed or unsigned). Never throws, whatever the input, so a route can hand it
 * query parameters as they came.
 */
export function verifyLink(
  subject: string,
  expires: number | string,
  signature: string,
  keys: readonly string[],
  now: Date = new Date(),
): LinkCheck {
  try {
    const seconds = parseExpires(expires);
    if (typeof subject !== 'string' || typeof signature !== 'string' || seconds === null)
      return 'invalid';
    const given = Buffer.from(signature, 'utf8');
    let matched = false;
    for (const key of keys) {
      if (typeof key !== 'string' || key === '') continue;
      const expected = Buffer.from(mac(key, subject, seconds), 'utf8');
      // timingSafeEqual throws on a length mismatch; the length of a MAC is no secret.
      if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
    }
    if (!matched) return 'invalid';
    return now.getTime() < seconds * 1000 ? 'valid' : 'expired';
  } catch {
    return 'invalid';
  }
}

/** EXPORT_SIGNING_KEYS as configured: comma-separated, trimmed, empty entries dropped. */
export function parseSigningKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}

/**
 * The keys to sign with at boot: the configured ones, or (demo and development only; the
 * configuration refuses production without keys) a random key for this process, with a warning,
 * since every link it signs stops working when the process restarts and other instances refuse it.
 */
export function resolveSigningKeys(
  configured: readonly string[],
  logger: { warn: (message: string) => void },
): string[] {
  if (configured.length > 0) return [...configured];
  logger.warn(
    'EXPORT_SIGNING_KEYS is unset: download links are signed with a random key made at start, so they stop working when this process restarts (and other instances refuse them); set EXPORT_SIGNING_KEYS to keep them',
  );
  return [randomBytes(32).toString('base64url')];
}

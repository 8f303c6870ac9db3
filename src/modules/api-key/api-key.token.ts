import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API key format: `pulse_<id:12><secret:32><checksum:6>`, base62.
 *
 * The fixed `pulse_` prefix lets secret scanners recognise leaked keys; the CRC32 checksum lets
 * us reject typos and random strings without touching the database; `pulse_<id>` is stored in
 * clear as the lookup prefix and shown in listings; the whole key is stored only as SHA-256.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX = 'pulse_';
const ID_LENGTH = 12;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(
  `^${PREFIX}[0-9A-Za-z]{${ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH}}$`,
);

function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export interface ParsedApiKey {
  /** The public part stored in clear and used to find the row: `pulse_<id>`. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
}

/**
 * A fresh key. Rotation passes the existing key's prefix so the new secret keeps the same public
 * id (the row is found by prefix, and listings stay recognisable).
 */
export function generateApiKey(prefix?: string): string {
  const id = prefix ? prefix.slice(PREFIX.length) : randomBase62(ID_LENGTH);
  if (id.length !== ID_LENGTH) throw new Error('generateApiKey: malformed prefix');
  const body = PREFIX + id + randomBase62(SECRET_LENGTH);
  return body + checksum(body);
}

/** Whether a bearer token is meant as a Pulse API key (as opposed to an OAuth access token). */
export const looksLikeApiKey = (token: string): boolean => token.startsWith(PREFIX);

export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_PATTERN.test(key)) return false;
  const body = key.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === key.slice(-CHECKSUM_LENGTH);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Returns null for anything that is not a well-formed key, so no SQL runs for garbage. */
export function parseApiKey(key: string): ParsedApiKey | null {
  if (!isWellFormedApiKey(key)) return null;
  return { prefix: key.slice(0, PREFIX.length + ID_LENGTH), hash: hashApiKey(key) };
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

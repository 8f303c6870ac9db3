import { badUserInput } from '../../errors.js';
import { isStorableText } from './input.js';

/**
 * Keyset cursor: the ordering it belongs to, the row's sort key as PostgreSQL text (exact for
 * timestamps with microseconds and for floats) and the row id that breaks ties.
 */
export interface Keyset {
  order: string;
  key: string;
  id: string;
}

/** The PostgreSQL type a cursor's sort key is cast back to. */
export type CursorKeyType = 'timestamptz' | 'bigint' | 'float8' | 'text';

export const encodeCursor = (keyset: Keyset): string =>
  Buffer.from(JSON.stringify([keyset.order, keyset.key, keyset.id])).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** PostgreSQL's timestamptz output (ISO DateStyle): `2026-03-01 12:34:56.789012+00`. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;
const INTEGER = /^-?\d{1,19}$/;
const FLOAT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

function isTimestamp(key: string): boolean {
  if (key === '-infinity' || key === 'infinity') return true;
  const match = TIMESTAMP.exec(key);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    year! >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60 &&
    offsetHours! <= 15 &&
    offsetMinutes! < 60
  );
}

function isFloat(key: string): boolean {
  if (!FLOAT.test(key)) return false;
  const value = Number(key);
  // PostgreSQL refuses what overflows or underflows double precision; JavaScript rounds it.
  return Number.isFinite(value) && (value !== 0 || !/[1-9]/.test(key.split(/e/i)[0]!));
}

/** Whether a sort key read from a cursor casts to its type without a database error. */
const keyReaders: Record<CursorKeyType, (key: string) => boolean> = {
  timestamptz: isTimestamp,
  bigint: (key) => INTEGER.test(key) && BigInt(key) >= INT64.min && BigInt(key) <= INT64.max,
  float8: isFloat,
  text: isStorableText,
};

/**
 * Reads a cursor made by encodeCursor for `order`. A cursor is client input: anything that is
 * not what this server would have made (another ordering, a key that does not cast to
 * `keyType`, an id that is not a UUID) is refused as BAD_USER_INPUT before it reaches SQL.
 */
export function decodeCursor(
  cursor: string | undefined,
  order: string,
  keyType: CursorKeyType = 'text',
): Keyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value.every((part) => typeof part === 'string') &&
      value[0] === order &&
      keyReaders[keyType](value[1] as string) &&
      UUID.test(value[2] as string)
    ) {
      return { order, key: value[1] as string, id: value[2] as string };
    }
  } catch {
    // fall through to the typed error
  }
  throw badUserInput('Invalid cursor: it is malformed or belongs to a different ordering.', {
    argument: 'after/before',
  });
}

import { badUserInput } from '../../errors.js';

/**
 * Keyset cursor: the ordering it belongs to, the row's sort key as PostgreSQL text (exact for
 * timestamps with microseconds and for floats) and the row id that breaks ties.
 */
export interface Keyset {
  order: string;
  key: string;
  id: string;
}

export const encodeCursor = (keyset: Keyset): string =>
  Buffer.from(JSON.stringify([keyset.order, keyset.key, keyset.id])).toString('base64url');

export function decodeCursor(cursor: string | undefined, order: string): Keyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value.every((part) => typeof part === 'string') &&
      value[0] === order
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

/** Drops omitted fields (undefined); keeps explicit nulls, which mean "clear this field". */
export const withoutUndefined = <T extends object>(input: T) =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

/** Drops omitted and null fields, for inputs whose fields cannot be cleared. */
export const withoutNullish = <T extends object>(input: T) =>
  Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== null && value !== undefined),
  );

/**
 * U+0000 and unpaired UTF-16 surrogates: PostgreSQL text cannot hold the first, and the second
 * has no UTF-8 form (a driver silently replaces it, PostgreSQL's JSON parser refuses its escape).
 */
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Whether PostgreSQL can store this string as it is. */
export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

export const UNSTORABLE_TEXT_MESSAGE = 'Text may not contain U+0000 or unpaired UTF-16 surrogates.';

/**
 * Whether any string (or object key) in a JSON-like value is not storable text. Iterative, as
 * client-sent values may nest deeply.
 */
export function containsUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!isStorableText(next)) return true;
    } else if (Array.isArray(next)) {
      for (const entry of next) pending.push(entry);
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, entry] of Object.entries(next)) {
        if (!isStorableText(key)) return true;
        pending.push(entry);
      }
    }
  }
  return false;
}

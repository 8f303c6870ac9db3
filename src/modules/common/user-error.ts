import type { z } from 'zod';

export const USER_ERROR_CODES = [
  'INVALID',
  'NOT_FOUND',
  'TAKEN',
  'INVALID_STATUS',
  'NO_CHANNEL',
  'LIMIT_REACHED',
  'INSUFFICIENT_SCOPE',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

/** An expected, per-field problem with a mutation's input; returned as data, never thrown. */
export interface UserErrorData {
  /** Path to the input field, e.g. ['input', 'title']. Empty when it concerns the whole input. */
  field: string[];
  message: string;
  code: UserErrorCode;
}

export const userError = (
  field: string[],
  code: UserErrorCode,
  message: string,
): UserErrorData => ({
  field,
  code,
  message,
});

/** Outcome of a mutation service: the changed object, or why nothing changed. */
export type MutationResult<T> = { ok: true; value: T } | { ok: false; errors: UserErrorData[] };

export const ok = <T>(value: T): MutationResult<T> => ({ ok: true, value });
export const fail = <T = never>(...errors: UserErrorData[]): MutationResult<T> => ({
  ok: false,
  errors,
});

/** Validates a mutation input, reporting every problem at its path under `input`. */
export function validateInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
): MutationResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail(
    ...parsed.error.issues.map((issue) =>
      userError(['input', ...issue.path.map(String)], 'INVALID', issue.message),
    ),
  );
}

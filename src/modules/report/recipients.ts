import { userError, type UserErrorData } from '../common/user-error.js';

export const MAX_RECIPIENTS = 20;

// One @, a local part without spaces or angle brackets, a dotted domain with a letter TLD: enough
// to refuse typos at save time (delivery itself is the mail module's business).
const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Whether a string looks like a deliverable e-mail address (`name@example.com`). */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && value.split('@')[0]!.length <= 64 && ADDRESS.test(value);
}

/**
 * Recipients trimmed, duplicates (ignoring case) dropped, at most MAX_RECIPIENTS, each a valid
 * address; problems come back at `[...path, index]`.
 */
export function checkRecipients(
  recipients: readonly string[],
  path: string[],
): { value: string[]; errors: UserErrorData[] } {
  const errors: UserErrorData[] = [];
  const seen = new Set<string>();
  const value: string[] = [];
  recipients.forEach((raw, index) => {
    const address = raw.trim();
    if (!isEmailAddress(address)) {
      errors.push(
        userError(
          [...path, String(index)],
          'INVALID',
          'must be an e-mail address (name@example.com)',
        ),
      );
      return;
    }
    if (seen.has(address.toLowerCase())) return;
    seen.add(address.toLowerCase());
    value.push(address);
  });
  if (value.length > MAX_RECIPIENTS)
    errors.push(userError(path, 'INVALID', `at most ${MAX_RECIPIENTS} recipients`));
  return { value, errors };
}

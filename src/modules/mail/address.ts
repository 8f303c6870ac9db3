// No imports: src/env.ts validates MAIL_FROM with these, and nothing here may lead back to it.

/**
 * The WHATWG HTML "valid e-mail address" (what `<input type=email>` accepts): a dot-atom-ish local
 * part, `@`, and DNS labels. Stricter than RFC 5322 on purpose: no quoted local parts, comments or
 * IP literals, nothing a person types by mistake (spaces, commas, angle brackets, newlines).
 */
const HTML_EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** A sane check for one recipient such as `ada@example.com` (reports check them at save time). */
export function isEmailAddress(value: string): boolean {
  if (typeof value !== 'string' || value.length > 254 || !HTML_EMAIL.test(value)) return false;
  const local = value.slice(0, value.lastIndexOf('@'));
  // SMTP servers refuse these although the HTML pattern lets them through.
  return (
    local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..')
  );
}

/** `Name <address>` or a bare address, as MAIL_FROM accepts it. */
export function isMailbox(value: string): boolean {
  const named = /^(?:"[^"\r\n]*"|[^<>"\r\n]*)\s*<([^<>\s]+)>$/.exec(value.trim());
  if (named) return isEmailAddress(named[1]!);
  return isEmailAddress(value.trim());
}

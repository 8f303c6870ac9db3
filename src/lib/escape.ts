/**
 * Escapes text for HTML or XML (SVG) element content and double- or single-quoted attribute
 * values.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"'`]/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[
        char
      ]!,
  );
}

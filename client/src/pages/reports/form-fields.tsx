import { useId, type ReactNode } from 'react';

/** Messages of the user errors, by their place in the form (see errorKey). */
export type FieldErrors = Readonly<Record<string, string>>;

/** The messages at `key` and below it (a filter's row collects its field, operator and value). */
export function errorAt(errors: FieldErrors, key: string): string | undefined {
  const found = Object.entries(errors)
    .filter(([at]) => at === key || at.startsWith(`${key}.`))
    .map(([, message]) => message);
  return found.length ? found.join(' ') : undefined;
}

/** A field's error, next to it; `id` is what the field's aria-describedby names. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

/** A labelled control with its error; the control gets `aria-invalid` and `aria-describedby`. */
export function Field({
  label,
  error,
  hint,
  children,
  className = 'field',
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (props: {
    id: string;
    'aria-invalid'?: true;
    'aria-describedby'?: string;
  }) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

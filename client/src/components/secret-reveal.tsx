import { useEffect, useRef, useState } from 'react';

/**
 * A new key's secret, shown once: the server never returns it again, so neither does this box
 * once dismissed (it is held in component state only, never cached or stored).
 */
export function SecretReveal({
  title,
  secret,
  onDismiss,
}: {
  title: string;
  secret: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => boxRef.current?.focus(), []);
  return (
    <div className="secret-box" role="alert" tabIndex={-1} ref={boxRef} data-testid="secret-box">
      <p className="state-title">{title}</p>
      <p>Copy it now: it is shown only this once. Pulse stores only its hash.</p>
      <code className="secret-value" data-testid="secret-value">
        {secret}
      </code>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-primary" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
      <span className="visually-hidden" aria-live="polite">
        {copied ? 'Copied to the clipboard.' : ''}
      </span>
    </div>
  );
}

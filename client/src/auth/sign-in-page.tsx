import type { ErrorLike } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router';
import { errorCodes } from '../apollo/errors.js';
import { graphql } from '../gql/index.js';
import { API_KEY_PATTERN } from './credential.js';
import { startOAuthSignIn } from './oauth.js';
import { useSession } from './session-context.js';

const SignInCheck = graphql(`
  query SignInCheck {
    me {
      id
      name
    }
  }
`);

const reasons = {
  rejected: 'The server refused your credentials (revoked, rotated or disabled). Sign in again.',
  expired: 'Your session expired. Sign in again.',
} as const;

export function SignInPage() {
  const { session, config } = useSession();
  const apollo = useApolloClient();
  const location = useLocation();
  const [key, setKey] = useState(config.demoApiKey ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [oauthProblem, setOauthProblem] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const keyId = useId();
  const hintId = useId();
  const errorId = useId();
  const reason = session.lastSignOut();
  // The server registered its own URL as the redirect URI: from any other origin (another host
  // name for the same server) the sign-in could not come back here, so only the key is offered.
  const oauth =
    config.oauth && new URL(config.oauth.issuer).origin === globalThis.location.origin
      ? config.oauth
      : null;

  function signInWithPulse() {
    if (!oauth) return;
    setOauthProblem(null);
    startOAuthSignIn(oauth, location.pathname + location.search).catch(() =>
      setOauthProblem('The sign-in page could not be reached. Try again.'),
    );
  }

  async function signInWith(apiKey: string) {
    const candidate = apiKey.trim();
    if (!API_KEY_PATTERN.test(candidate)) {
      setProblem('That is not a Pulse API key: it starts with pulse_ and has 56 characters.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    let failure: ErrorLike | null = null;
    try {
      const result = await apollo.query({
        query: SignInCheck,
        context: { headers: { authorization: `Bearer ${candidate}` } },
        fetchPolicy: 'network-only',
      });
      failure = result.error ?? null;
    } catch (error) {
      failure = error as ErrorLike;
    }
    const codes = errorCodes(failure);
    // A key without read:user is still a valid key: the pages it may read will work.
    if (!failure || codes.includes('INSUFFICIENT_SCOPE')) {
      session.signIn({ kind: 'api-key', apiKey: candidate });
      return;
    }
    setProblem(
      codes.includes('UNAUTHENTICATED')
        ? 'The server does not know this key, or it was revoked.'
        : 'The server could not be reached. Try again.',
    );
    setBusy(false);
    inputRef.current?.focus();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void signInWith(key);
  }

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1 className="brand-title">
          <span className="brand-mark" aria-hidden="true" /> Pulse
        </h1>
        <p className="muted">Content analytics for YouTube, TikTok, Instagram and X.</p>
        {reason && reason !== 'user' ? (
          <p className="notice" role="alert">
            {reasons[reason]}
          </p>
        ) : null}

        {oauth ? (
          <>
            <button
              type="button"
              className="button button-primary button-wide"
              onClick={signInWithPulse}
            >
              Sign in with Pulse
            </button>
            <p className="hint">
              With your email and password on this server’s sign-in page
              {config.demoApiKey ? ', or as the demo user' : ''}.
            </p>
            {oauthProblem ? (
              <p className="field-error" role="alert">
                {oauthProblem}
              </p>
            ) : null}
            <p className="sign-in-divider">or paste an API key</p>
          </>
        ) : null}

        <form onSubmit={onSubmit} noValidate aria-describedby={problem ? errorId : undefined}>
          <label htmlFor={keyId}>API key</label>
          <input
            ref={inputRef}
            id={keyId}
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="pulse_…"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            aria-describedby={`${hintId}${problem ? ` ${errorId}` : ''}`}
            aria-invalid={problem ? true : undefined}
            required
          />
          <p id={hintId} className="hint">
            {config.demoApiKey ? 'Demo mode: the demo account’s key is filled in. ' : null}
            Paste it once: it stays in this browser until you sign out. Once signed in, create keys
            on the Developer page; an operator can also use{' '}
            <code>npm run cli -- apikey create</code> (with the server stopped when it runs on the
            embedded database).
          </p>
          {problem ? (
            <p id={errorId} className="field-error" role="alert">
              {problem}
            </p>
          ) : null}
          <button
            type="submit"
            className={`button button-wide${oauth ? '' : ' button-primary'}`}
            disabled={busy}
          >
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}

import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Loading } from '../components/states.js';
import { completeOAuthSignIn } from './oauth.js';
import { useSession } from './session-context.js';

/** Where the authorization server sends the browser back with ?code=…&state=…. */
export function OAuthCallbackPage() {
  const { session, config } = useSession();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (!config.oauth) {
      setProblem('This server does not offer OAuth sign-in.');
      return;
    }
    completeOAuthSignIn(config.oauth, new URL(globalThis.location.href))
      .then(({ credential, returnTo }) => {
        session.signIn(credential);
        navigate(returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/', {
          replace: true,
        });
      })
      .catch(() => setProblem('Sign-in did not complete (denied, expired or started elsewhere).'));
  }, [config.oauth, navigate, session]);

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        {problem ? (
          <div role="alert">
            <h1>Sign-in failed</h1>
            <p>{problem}</p>
            <Link to="/" className="button">
              Back to sign-in
            </Link>
          </div>
        ) : (
          <Loading label="Signing you in…" />
        )}
      </div>
    </main>
  );
}

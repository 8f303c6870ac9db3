import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPulseClient } from './apollo/client.js';
import { App } from './app.js';
import { oauthRefresher, revokeOAuth } from './auth/oauth.js';
import { createSession } from './auth/session.js';
import { loadConfig } from './config.js';
import './styles.css';

const config = await loadConfig();
const session = createSession(config.oauth ? { refresher: oauthRefresher(config.oauth) } : {});
const client = createPulseClient({ session, persistedDocuments: config.persistedDocuments });

// Whoever signs out (the user, a refused key, an expired token), nothing of theirs stays cached
// and the socket authenticated with the old credential goes away. A rotated key of the same
// account (Developer page) keeps the data and only reconnects the socket with the new secret.
let signedInAs = session.current();
session.subscribe(() => {
  const next = session.current();
  if (next === signedInAs) return;
  const previous = signedInAs;
  signedInAs = next;
  if (!next) void client.reset();
  else if (previous && next.kind === 'api-key') client.ws.terminate();
});

function signOut() {
  const held = session.current();
  if (held && config.oauth) void revokeOAuth(config.oauth, held);
  session.signOut('user');
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} config={config} client={client} onSignOut={signOut} />
  </StrictMode>,
);

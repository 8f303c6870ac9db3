import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../apollo/errors.js';
import { useSession } from '../auth/session-context.js';
import { ApiKeyCard, ApiKeyRow, type KeyAction } from '../components/api-key-row.js';
import { AppsSection } from '../components/apps-section.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { SecretReveal } from '../components/secret-reveal.js';
import { EmptyState, ErrorState, Skeleton } from '../components/states.js';
import { useMediaQuery, WIDE_SCREEN } from '../components/use-media-query.js';
import { UsagePanel } from '../components/usage-panel.js';
import { WebhooksSection } from '../components/webhooks-section.js';
import { graphql } from '../gql/index.js';
import type { Scope } from '../gql/graphql.js';
import { ALL_SCOPES, SCOPE_LABELS } from '../lib/scopes.js';

const DeveloperPageQuery = graphql(`
  query DeveloperPage {
    me {
      id
      email
      plan
    }
    apiKeys {
      id
      ...ApiKeyRow_apiKey
    }
    myApps {
      id
      ...AppRow_app
    }
    installedApps {
      ...InstalledApp_install @unmask
    }
    usage {
      ...UsagePanel_usage @unmask
    }
  }
`);

const CreateApiKey = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        name
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const RotateApiKey = graphql(`
  mutation RotateApiKey($id: ID!) {
    rotateApiKey(input: { id: $id }) {
      secret
      apiKey {
        id
        name
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const DisableApiKey = graphql(`
  mutation DisableApiKey($id: ID!) {
    disableApiKey(input: { id: $id }) {
      apiKey {
        id
        ...ApiKeyRow_apiKey
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const EnableApiKey = graphql(`
  mutation EnableApiKey($id: ID!) {
    enableApiKey(input: { id: $id }) {
      apiKey {
        id
        ...ApiKeyRow_apiKey
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(input: { id: $id }) {
      apiKey {
        id
      }
      userErrors {
        code
        message
      }
    }
  }
`);

const CONFIRM: Record<KeyAction, string> = {
  rotate: 'Its current secret keeps working for the grace period (24 h by default), then fails.',
  disable: 'Requests with it are refused and its open live connections close, until you enable it.',
  enable: 'It works again.',
  revoke: 'It stops working for good and its open live connections close. This cannot be undone.',
};

type Pending = { action: KeyAction; id: string; name: string; current: boolean };

// Secrets go through no-cache mutations, so they never sit in Apollo's cache; the list refetches.
const secretOptions = {
  fetchPolicy: 'no-cache' as const,
  refetchQueries: ['DeveloperPage'],
  awaitRefetchQueries: true,
};

export function DeveloperPage() {
  const { session, credential } = useSession();
  const { data, error, refetch } = useQuery(DeveloperPageQuery);
  const [createKey, creating] = useMutation(CreateApiKey, secretOptions);
  const [rotateKey, rotating] = useMutation(RotateApiKey, secretOptions);
  const [disableKey, disabling] = useMutation(DisableApiKey);
  const [enableKey, enabling] = useMutation(EnableApiKey);
  const [revokeKey, revoking] = useMutation(RevokeApiKey, {
    refetchQueries: ['DeveloperPage'],
    awaitRefetchQueries: true,
  });
  const busy =
    creating.loading ||
    rotating.loading ||
    disabling.loading ||
    enabling.loading ||
    revoking.loading;

  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(ALL_SCOPES);
  const [revealed, setRevealed] = useState<{ title: string; secret: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const ids = { name: useId(), problem: useId() };
  const sessionKey = credential?.kind === 'api-key' ? credential.apiKey : null;
  // A phone gets one card per key: a six-column table would hide its buttons off-screen.
  const wide = useMediaQuery(WIDE_SCREEN);

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (!name.trim()) {
      setProblem('Give the key a name, e.g. “CI” or “Zapier”.');
      nameRef.current?.focus();
      return;
    }
    try {
      const result = await createKey({ variables: { input: { name: name.trim(), scopes } } });
      const payload = result.data?.createApiKey;
      if (payload?.secret) {
        setRevealed({ title: `New key “${payload.apiKey?.name ?? name}”`, secret: payload.secret });
        setName('');
      } else {
        setProblem(payload?.userErrors.map((item) => item.message).join(' ') ?? 'Not created.');
      }
    } catch (failure) {
      setProblem(describeError(failure as Error));
    }
  }

  async function run({ action, id, name: keyName, current }: Pending) {
    setPending(null);
    setProblem(null);
    try {
      if (action === 'rotate') {
        const result = await rotateKey({ variables: { id } });
        const payload = result.data?.rotateApiKey;
        if (payload?.secret) {
          // Rotating the key this browser uses: keep working with the new secret.
          if (current) session.signIn({ kind: 'api-key', apiKey: payload.secret });
          setRevealed({ title: `New secret for “${keyName}”`, secret: payload.secret });
        } else setProblem(payload?.userErrors.map((item) => item.message).join(' ') ?? null);
        return;
      }
      const errors =
        action === 'disable'
          ? (await disableKey({ variables: { id } })).data?.disableApiKey.userErrors
          : action === 'enable'
            ? (await enableKey({ variables: { id } })).data?.enableApiKey.userErrors
            : (await revokeKey({ variables: { id } })).data?.revokeApiKey.userErrors;
      if (errors?.length) setProblem(errors.map((item) => item.message).join(' '));
    } catch (failure) {
      setProblem(describeError(failure as Error));
    }
  }

  const header = (
    <div className="page-header">
      <h1>Developer</h1>
      {data ? (
        <p className="muted">
          {data.me.email} · {data.me.plan.toLowerCase()} plan · <a href="/graphql">GraphiQL</a>
        </p>
      ) : null}
    </div>
  );
  if (error && !data)
    return (
      <>
        {header}
        <ErrorState
          error={error}
          title="Could not load your developer settings"
          onRetry={() => void refetch()}
        />
      </>
    );
  if (!data)
    return (
      <>
        {header}
        <Skeleton lines={6} label="Loading your developer settings" />
      </>
    );
  const onAction = (action: KeyAction, id: string, keyName: string, current: boolean) =>
    action === 'enable'
      ? void run({ action, id, name: keyName, current })
      : setPending({ action, id, name: keyName, current });

  return (
    <>
      {header}

      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title" className="card-title">
          API keys
        </h2>
        {revealed ? (
          <SecretReveal
            title={revealed.title}
            secret={revealed.secret}
            onDismiss={() => setRevealed(null)}
          />
        ) : null}
        <form className="key-form" onSubmit={(event) => void onCreate(event)} noValidate>
          <div className="field">
            <label htmlFor={ids.name}>New key name</label>
            <input
              ref={nameRef}
              id={ids.name}
              type="text"
              value={name}
              maxLength={100}
              onChange={(event) => setName(event.target.value)}
              aria-describedby={problem ? ids.problem : undefined}
              aria-invalid={problem && !name.trim() ? true : undefined}
            />
          </div>
          <fieldset className="field chips">
            <legend>Scopes</legend>
            {ALL_SCOPES.map((scope) => (
              <label key={scope} className="chip">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(event) =>
                    setScopes(
                      event.target.checked
                        ? [...scopes, scope]
                        : scopes.filter((item) => item !== scope),
                    )
                  }
                />
                {SCOPE_LABELS[scope]}
              </label>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="button button-primary" disabled={busy}>
              {creating.loading ? 'Creating…' : 'Create key'}
            </button>
          </div>
        </form>
        {problem ? (
          <p id={ids.problem} className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        {pending ? (
          <div className="confirm" role="alertdialog" aria-labelledby="confirm-title">
            <p id="confirm-title" className="state-title">
              {pending.action[0]!.toUpperCase() + pending.action.slice(1)} “{pending.name}”?
            </p>
            <p>
              {CONFIRM[pending.action]}
              {pending.current && (pending.action === 'revoke' || pending.action === 'disable')
                ? ' You are signed in with this key: you will be signed out.'
                : ''}
            </p>
            <div className="actions">
              <button
                type="button"
                className={`button ${pending.action === 'revoke' ? 'button-danger' : 'button-primary'}`}
                autoFocus
                onClick={() => void run(pending)}
              >
                Yes, {pending.action}
              </button>
              <button type="button" className="button" onClick={() => setPending(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
        {data.apiKeys.length === 0 ? (
          <EmptyState title="No API keys yet" />
        ) : !wide ? (
          <ul className="key-cards" aria-label="API keys">
            {data.apiKeys.map((apiKey) => (
              <li key={apiKey.id}>
                <ApiKeyCard
                  apiKey={apiKey}
                  sessionKey={sessionKey}
                  busy={busy}
                  onAction={onAction}
                />
              </li>
            ))}
          </ul>
        ) : (
          <ScrollRegion label="API keys table">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.apiKeys.map((apiKey) => (
                  <ApiKeyRow
                    key={apiKey.id}
                    apiKey={apiKey}
                    sessionKey={sessionKey}
                    busy={busy}
                    onAction={onAction}
                  />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>

      <UsagePanel usage={data.usage} />
      <WebhooksSection />
      <AppsSection apps={data.myApps} installs={data.installedApps} />
    </>
  );
}

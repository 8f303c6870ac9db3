import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { describeError, errorCodes } from '../apollo/errors.js';
import { graphql } from '../gql/index.js';
import type { WebhookEventType } from '../gql/graphql.js';
import { formatDateTime } from '../lib/format.js';
import { EmptyState, Skeleton } from './states.js';
import { WebhookDeliveries } from './webhook-deliveries.js';
import {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  RotateWebhookSecret,
  SendTestWebhook,
  SetWebhookEndpointStatus,
} from './webhook-operations.js';

const WebhooksSectionQuery = graphql(`
  query WebhooksSection {
    webhookEndpoints(first: 100) {
      edges {
        node {
          id
          url
          description
          events
          status
          disabledReason
          failingSince
          previousSecretExpiresAt
          createdAt
        }
      }
    }
    webhookEventTypes {
      type
      name
      description
    }
  }
`);

const REASON = {
  MANUAL: 'disabled',
  GONE: 'disabled: answered 410 Gone',
  FAILING: 'disabled: failing for 5 days',
} as const;

// Secrets go through no-cache mutations, so they never sit in Apollo's cache; the list refetches.
const secretOptions = {
  fetchPolicy: 'no-cache' as const,
  refetchQueries: ['WebhooksSection'],
  awaitRefetchQueries: true,
};

/** Webhook endpoints: create (secret shown once), rotate, test, enable/disable, delete, the log. */
export function WebhooksSection() {
  const { data, error, refetch } = useQuery(WebhooksSectionQuery);
  const [create, creating] = useMutation(CreateWebhookEndpoint, secretOptions);
  const [rotate, rotating] = useMutation(RotateWebhookSecret, secretOptions);
  const [setStatus, setting] = useMutation(SetWebhookEndpointStatus);
  const [remove, removing] = useMutation(DeleteWebhookEndpoint, {
    refetchQueries: ['WebhooksSection'],
    awaitRefetchQueries: true,
  });
  const [sendTest, testing] = useMutation(SendTestWebhook);
  const busy =
    creating.loading || rotating.loading || setting.loading || removing.loading || testing.loading;
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [revealed, setRevealed] = useState<{ title: string; secret: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<{ id: string; url: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const ids = { url: useId(), problem: useId() };
  const names = useMemo(
    () => new Map((data?.webhookEventTypes ?? []).map((type) => [type.type as string, type.name])),
    [data],
  );

  const report = (errors: readonly { message: string }[] | undefined) => {
    if (errors?.length) setProblem(errors.map((item) => item.message).join(' '));
    return !errors?.length;
  };
  async function attempt(action: () => Promise<void>) {
    setProblem(null);
    setNotice(null);
    try {
      await action();
    } catch (failure) {
      setProblem(describeError(failure as Error));
    }
  }

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    if (!url.trim()) {
      setProblem('Give the https URL to send events to.');
      urlRef.current?.focus();
      return;
    }
    void attempt(async () => {
      const result = await create({ variables: { input: { url: url.trim(), events } } });
      const payload = result.data?.createWebhookEndpoint;
      if (payload?.secret) {
        setRevealed({
          title: `Signing secret for ${payload.endpoint?.url ?? url}`,
          secret: payload.secret,
        });
        setUrl('');
        setEvents([]);
      } else report(payload?.userErrors);
    });
  };

  const header = (
    <h2 id="webhooks-title" className="card-title">
      Webhooks
    </h2>
  );
  if (error && !data) {
    const scope = errorCodes(error).includes('INSUFFICIENT_SCOPE');
    return (
      <section className="card" aria-labelledby="webhooks-title">
        {header}
        {scope ? (
          <EmptyState title="Webhooks need the manage:webhooks scope">
            <p>Sign in with a key that has it to manage your endpoints.</p>
          </EmptyState>
        ) : (
          // A status, not an alert: a secondary section failing must not shout over the page.
          <div className="state state-error" role="status">
            <p className="state-title">Could not load your webhooks</p>
            <p>{describeError(error)}</p>
            <button type="button" className="button" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        )}
      </section>
    );
  }
  if (!data)
    return (
      <section className="card" aria-labelledby="webhooks-title">
        {header}
        <Skeleton lines={3} label="Loading your webhooks" />
      </section>
    );
  const endpoints = data.webhookEndpoints.edges.map((edge) => edge.node);

  return (
    <section className="card" aria-labelledby="webhooks-title">
      {header}
      <p className="muted">
        Pulse POSTs signed events (Standard Webhooks) to your endpoints and retries failures for
        about 28 hours; see docs/webhooks.md.
      </p>
      {revealed ? (
        <div className="secret-box" role="alert" data-testid="webhook-secret-box">
          <p className="state-title">{revealed.title}</p>
          <p>Copy it now: it is shown only this once. Verify each message’s signature with it.</p>
          <code className="secret-value" data-testid="webhook-secret-value">
            {revealed.secret}
          </code>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => setRevealed(null)}
            >
              I have stored it
            </button>
          </div>
        </div>
      ) : null}
      <form className="key-form" onSubmit={onCreate} noValidate>
        <div className="field">
          <label htmlFor={ids.url}>Endpoint URL</label>
          <input
            ref={urlRef}
            id={ids.url}
            type="url"
            placeholder="https://hooks.example.com/pulse"
            value={url}
            maxLength={2000}
            onChange={(event) => setUrl(event.target.value)}
            aria-describedby={problem ? ids.problem : undefined}
          />
        </div>
        <fieldset className="field chips">
          <legend>Events (none checked: all)</legend>
          {data.webhookEventTypes.map((type) => (
            <label key={type.type} className="chip" title={type.description}>
              <input
                type="checkbox"
                checked={events.includes(type.type)}
                onChange={(event) =>
                  setEvents(
                    event.target.checked
                      ? [...events, type.type]
                      : events.filter((item) => item !== type.type),
                  )
                }
              />
              {type.name}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {creating.loading ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
      </form>
      {problem ? (
        <p id={ids.problem} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {notice ? (
        <p className="muted" role="status">
          {notice}
        </p>
      ) : null}
      {confirmDelete ? (
        <div className="confirm" role="alertdialog" aria-labelledby="webhook-confirm-title">
          <p id="webhook-confirm-title" className="state-title">
            Delete the endpoint {confirmDelete.url}?
          </p>
          <p>Its deliveries and their log go with it. This cannot be undone.</p>
          <div className="actions">
            <button
              type="button"
              className="button button-danger"
              autoFocus
              onClick={() => {
                const target = confirmDelete;
                setConfirmDelete(null);
                void attempt(async () => {
                  const result = await remove({ variables: { id: target.id } });
                  report(result.data?.deleteWebhookEndpoint.userErrors);
                });
              }}
            >
              Yes, delete
            </button>
            <button type="button" className="button" onClick={() => setConfirmDelete(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints yet" />
      ) : (
        <ul className="plain-list webhook-endpoints" aria-label="Webhook endpoints">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id}>
              <p>
                <code>{endpoint.url}</code>{' '}
                <span
                  className={`badge badge-${endpoint.status === 'ENABLED' ? 'active' : 'disabled'}`}
                >
                  {endpoint.status === 'ENABLED'
                    ? 'Enabled'
                    : REASON[endpoint.disabledReason ?? 'MANUAL']}
                </span>
              </p>
              <p className="muted">
                {endpoint.events.length === 0
                  ? 'All events'
                  : endpoint.events.map((type) => names.get(type) ?? type).join(', ')}
                {endpoint.failingSince
                  ? ` · failing since ${formatDateTime(endpoint.failingSince)}`
                  : ''}
                {endpoint.previousSecretExpiresAt
                  ? ` · old secret signs too until ${formatDateTime(endpoint.previousSecretExpiresAt)}`
                  : ''}
              </p>
              <div className="actions">
                <button
                  type="button"
                  className="button"
                  disabled={busy || endpoint.status !== 'ENABLED'}
                  onClick={() =>
                    void attempt(async () => {
                      const result = await sendTest({ variables: { id: endpoint.id } });
                      if (report(result.data?.sendTestWebhook.userErrors)) {
                        setNotice(`Test event queued for ${endpoint.url}.`);
                        setOpen(endpoint.id);
                      }
                    })
                  }
                >
                  Send test event
                </button>
                <button
                  type="button"
                  className="button"
                  aria-expanded={open === endpoint.id}
                  onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}
                >
                  {open === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() =>
                    void attempt(async () => {
                      const result = await rotate({ variables: { id: endpoint.id } });
                      const payload = result.data?.rotateWebhookSecret;
                      if (payload?.secret)
                        setRevealed({
                          title: `New signing secret for ${endpoint.url}`,
                          secret: payload.secret,
                        });
                      else report(payload?.userErrors);
                    })
                  }
                >
                  Rotate secret
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() =>
                    void attempt(async () => {
                      const disable = endpoint.status === 'ENABLED';
                      const result = await setStatus({ variables: { id: endpoint.id, disable } });
                      report(
                        (disable
                          ? result.data?.disableWebhookEndpoint
                          : result.data?.enableWebhookEndpoint
                        )?.userErrors,
                      );
                    })
                  }
                >
                  {endpoint.status === 'ENABLED' ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  className="button button-danger"
                  disabled={busy}
                  onClick={() => setConfirmDelete({ id: endpoint.id, url: endpoint.url })}
                >
                  Delete
                </button>
              </div>
              {open === endpoint.id ? (
                <WebhookDeliveries endpointId={endpoint.id} url={endpoint.url} names={names} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

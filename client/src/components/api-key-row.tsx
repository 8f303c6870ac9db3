import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { useId } from 'react';
import { graphql } from '../gql/index.js';
import type { ApiKeyRow_ApiKeyFragment } from '../gql/graphql.js';
import { formatDateTime } from '../lib/format.js';
import { SCOPE_LABELS } from '../lib/scopes.js';

export const ApiKeyRowFragment = graphql(`
  fragment ApiKeyRow_apiKey on ApiKey {
    id
    name
    prefix
    scopes
    status
    lastUsedAt
    createdAt
    previousSecretExpiresAt
  }
`);

export type KeyAction = 'rotate' | 'disable' | 'enable' | 'revoke';

const STATUS = { ACTIVE: 'Active', DISABLED: 'Disabled', REVOKED: 'Revoked' } as const;

type KeyProps = {
  apiKey: FragmentType<typeof ApiKeyRowFragment>;
  /** The key this browser is signed in with, to mark it. */
  sessionKey: string | null;
  busy: boolean;
  onAction: (action: KeyAction, id: string, name: string, current: boolean) => void;
};

function useKey(apiKey: KeyProps['apiKey'], sessionKey: string | null) {
  const { data, complete } = useFragment({ fragment: ApiKeyRowFragment, from: apiKey });
  if (!complete) return null;
  return { data, current: sessionKey !== null && sessionKey.startsWith(data.prefix) };
}

function SessionBadge() {
  return <span className="badge badge-processing">this session</span>;
}

/** Scopes as chips that wrap as a whole, never in the middle of a scope. */
function Scopes({ scopes }: { scopes: ApiKeyRow_ApiKeyFragment['scopes'] }) {
  return (
    <ul className="scope-list">
      {scopes.map((scope) => (
        <li key={scope}>
          <code>{SCOPE_LABELS[scope]}</code>
        </li>
      ))}
    </ul>
  );
}

function Status({ data }: { data: ApiKeyRow_ApiKeyFragment }) {
  return (
    <>
      <span className={`badge badge-${data.status.toLowerCase()}`}>{STATUS[data.status]}</span>
      {data.previousSecretExpiresAt ? (
        <span className="muted small">
          <br />
          old secret works until {formatDateTime(data.previousSecretExpiresAt)}
        </span>
      ) : null}
    </>
  );
}

/** Rotate, disable/enable and revoke; each button's name says which key it acts on. */
function Actions({
  data,
  current,
  busy,
  onAction,
}: {
  data: ApiKeyRow_ApiKeyFragment;
  current: boolean;
} & Pick<KeyProps, 'busy' | 'onAction'>) {
  if (data.status === 'REVOKED') return null;
  const active = data.status === 'ACTIVE';
  return (
    <span className="actions">
      <button
        type="button"
        className="button button-small"
        disabled={busy || !active}
        onClick={() => onAction('rotate', data.id, data.name, current)}
      >
        Rotate<span className="visually-hidden"> {data.name}</span>
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        onClick={() => onAction(active ? 'disable' : 'enable', data.id, data.name, current)}
      >
        {active ? 'Disable' : 'Enable'}
        <span className="visually-hidden"> {data.name}</span>
      </button>
      <button
        type="button"
        className="button button-small button-danger"
        disabled={busy}
        onClick={() => onAction('revoke', data.id, data.name, current)}
      >
        Revoke<span className="visually-hidden"> {data.name}</span>
      </button>
    </span>
  );
}

/** One key as a table row (wide screens). */
export function ApiKeyRow({ apiKey, sessionKey, busy, onAction }: KeyProps) {
  const key = useKey(apiKey, sessionKey);
  if (!key) return null;
  const { data, current } = key;
  return (
    <tr>
      <th scope="row">
        {data.name}
        {current ? (
          <>
            {' '}
            <SessionBadge />
          </>
        ) : null}
        <br />
        <code>{data.prefix}…</code>
      </th>
      <td>
        <Scopes scopes={data.scopes} />
      </td>
      <td>
        <Status data={data} />
      </td>
      <td>{data.lastUsedAt ? formatDateTime(data.lastUsedAt) : 'Never'}</td>
      <td>{formatDateTime(data.createdAt)}</td>
      <td>
        <Actions data={data} current={current} busy={busy} onAction={onAction} />
      </td>
    </tr>
  );
}

/** One key as a card (phones): everything the row shows, stacked, nothing to scroll sideways. */
export function ApiKeyCard({ apiKey, sessionKey, busy, onAction }: KeyProps) {
  const titleId = useId();
  const key = useKey(apiKey, sessionKey);
  if (!key) return null;
  const { data, current } = key;
  return (
    <article className="key-card" aria-labelledby={titleId}>
      <h3 id={titleId} className="key-card-title">
        {data.name}
        {current ? (
          <>
            {' '}
            <SessionBadge />
          </>
        ) : null}
      </h3>
      <dl className="key-card-facts">
        <div className="key-card-wide">
          <dt>Prefix</dt>
          <dd>
            <code className="key-prefix">{data.prefix}…</code>
          </dd>
        </div>
        <div className="key-card-wide">
          <dt>Scopes</dt>
          <dd>
            <Scopes scopes={data.scopes} />
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <Status data={data} />
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{data.lastUsedAt ? formatDateTime(data.lastUsedAt) : 'Never'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(data.createdAt)}</dd>
        </div>
      </dl>
      <Actions data={data} current={current} busy={busy} onAction={onAction} />
    </article>
  );
}

import type { FragmentType } from '@apollo/client';
import { useFragment } from '@apollo/client/react';
import { graphql } from '../gql/index.js';
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

export function ApiKeyRow({
  apiKey,
  sessionKey,
  busy,
  onAction,
}: {
  apiKey: FragmentType<typeof ApiKeyRowFragment>;
  /** The key this browser is signed in with, to mark its row. */
  sessionKey: string | null;
  busy: boolean;
  onAction: (action: KeyAction, id: string, name: string, current: boolean) => void;
}) {
  const { data, complete } = useFragment({ fragment: ApiKeyRowFragment, from: apiKey });
  if (!complete) return null;
  const active = data.status === 'ACTIVE';
  const current = sessionKey !== null && sessionKey.startsWith(data.prefix);
  return (
    <tr>
      <th scope="row">
        {data.name}
        {current ? <span className="badge badge-processing"> this session</span> : null}
        <br />
        <code>{data.prefix}…</code>
      </th>
      <td>
        <span className="scope-list">
          {data.scopes.map((scope) => (
            <code key={scope}>{SCOPE_LABELS[scope]}</code>
          ))}
        </span>
      </td>
      <td>
        <span className={`badge badge-${data.status.toLowerCase()}`}>{STATUS[data.status]}</span>
        {data.previousSecretExpiresAt ? (
          <span className="muted small">
            <br />
            old secret works until {formatDateTime(data.previousSecretExpiresAt)}
          </span>
        ) : null}
      </td>
      <td>{data.lastUsedAt ? formatDateTime(data.lastUsedAt) : 'Never'}</td>
      <td>{formatDateTime(data.createdAt)}</td>
      <td>
        {data.status === 'REVOKED' ? null : (
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
        )}
      </td>
    </tr>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { describeError } from '../apollo/errors.js';
import { graphql } from '../gql/index.js';
import { formatDateTime } from '../lib/format.js';
import { ScrollRegion } from './scroll-region.js';
import { EmptyState, ErrorState, Skeleton } from './states.js';

const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($endpoint: ID!) {
    webhookDeliveries(endpoint: $endpoint, first: 20) {
      totalCount
      edges {
        node {
          id
          webhookId
          eventType
          status
          attemptCount
          lastStatusCode
          lastError
          nextAttemptAt
          createdAt
        }
      }
    }
  }
`);

const ReplayWebhookDelivery = graphql(`
  mutation ReplayWebhookDelivery($id: ID!) {
    replayWebhookDelivery(input: { id: $id }) {
      delivery {
        id
      }
      userErrors {
        message
      }
    }
  }
`);

const STATUS = { PENDING: 'Pending', SUCCEEDED: 'Delivered', FAILED: 'Failed' } as const;
const BADGE = { PENDING: 'processing', SUCCEEDED: 'active', FAILED: 'revoked' } as const;

/** One endpoint's newest deliveries, with their status and a replay button each. */
export function WebhookDeliveries({
  endpointId,
  url,
  names,
}: {
  endpointId: string;
  url: string;
  /** Event enum value → the dotted `type` receivers see (from the catalogue). */
  names: ReadonlyMap<string, string>;
}) {
  const eventName = (value: string) => names.get(value) ?? value;
  const { data, error, refetch, loading, startPolling, stopPolling } = useQuery(
    WebhookDeliveriesQuery,
    { variables: { endpoint: endpointId }, fetchPolicy: 'cache-and-network' },
  );
  // Deliveries have no subscription: while one is still pending, look again every 2 s.
  const pending = data?.webhookDeliveries.edges.some((edge) => edge.node.status === 'PENDING');
  useEffect(() => {
    if (!pending) return;
    startPolling(2000);
    return () => stopPolling();
  }, [pending, startPolling, stopPolling]);
  const [replay, replaying] = useMutation(ReplayWebhookDelivery);
  const [problem, setProblem] = useState<string | null>(null);

  async function onReplay(id: string) {
    setProblem(null);
    try {
      const result = await replay({ variables: { id } });
      const errors = result.data?.replayWebhookDelivery.userErrors ?? [];
      if (errors.length) setProblem(errors.map((item) => item.message).join(' '));
      await refetch();
    } catch (failure) {
      setProblem(describeError(failure as Error));
    }
  }

  if (error && !data)
    return (
      <ErrorState
        error={error}
        title="Could not load the deliveries"
        onRetry={() => void refetch()}
      />
    );
  if (!data) return <Skeleton lines={3} label={`Loading deliveries to ${url}`} />;
  const deliveries = data.webhookDeliveries.edges.map((edge) => edge.node);
  return (
    <div className="webhook-deliveries">
      <div className="actions">
        <h3 className="subheading">
          Deliveries to <code>{url}</code> ({data.webhookDeliveries.totalCount})
        </h3>
        <button type="button" className="button" disabled={loading} onClick={() => void refetch()}>
          Refresh
        </button>
      </div>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {deliveries.length === 0 ? (
        <EmptyState title="Nothing delivered yet">
          <p>Send a test event, or wait for one of the events it receives.</p>
        </EmptyState>
      ) : (
        <ScrollRegion label={`Deliveries to ${url}`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last response</th>
                <th scope="col">Queued</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <th scope="row">
                    <code>{eventName(delivery.eventType)}</code>
                  </th>
                  <td>
                    <span className={`badge badge-${BADGE[delivery.status]}`}>
                      {STATUS[delivery.status]}
                    </span>
                    {delivery.nextAttemptAt ? (
                      <span className="muted">
                        {' '}
                        · next {formatDateTime(delivery.nextAttemptAt)}
                      </span>
                    ) : null}
                  </td>
                  <td className="num">{delivery.attemptCount}</td>
                  <td>
                    {delivery.lastStatusCode !== null && delivery.lastStatusCode !== undefined
                      ? `HTTP ${delivery.lastStatusCode}`
                      : (delivery.lastError ?? '—')}
                  </td>
                  <td>{formatDateTime(delivery.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      disabled={replaying.loading}
                      aria-label={`Replay ${eventName(delivery.eventType)} queued ${formatDateTime(delivery.createdAt)}`}
                      onClick={() => void onReplay(delivery.id)}
                    >
                      Replay
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}

import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhooksSection } from '../../client/src/components/webhooks-section.js';
import {
  CreateWebhookEndpointDocument,
  ReplayWebhookDeliveryDocument,
  WebhookDeliveriesDocument,
  WebhooksSectionDocument,
} from '../../client/src/gql/graphql.js';
import { renderPage } from './render.js';

afterEach(cleanup);

const SECRET = `whsec_${'A'.repeat(43)}=`;
const ENDPOINT = {
  __typename: 'WebhookEndpoint',
  id: 'V2ViaG9va0VuZHBvaW50OjE=',
  url: 'https://hooks.example.com/pulse',
  description: '',
  events: ['VIDEO_VIRAL'],
  status: 'ENABLED',
  disabledReason: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  createdAt: '2030-01-01T00:00:00Z',
};
const TYPES = [
  {
    __typename: 'WebhookEventTypeInfo',
    type: 'VIDEO_VIRAL',
    name: 'video.viral',
    description: 'Viral.',
  },
  {
    __typename: 'WebhookEventTypeInfo',
    type: 'WEBHOOK_TEST',
    name: 'webhook.test',
    description: 'Test.',
  },
];
const section = (endpoints: unknown[]) => ({
  request: { query: WebhooksSectionDocument },
  result: {
    data: {
      __typename: 'Query',
      webhookEndpoints: {
        __typename: 'WebhookEndpointConnection',
        edges: endpoints.map((node) => ({ __typename: 'WebhookEndpointEdge', node })),
      },
      webhookEventTypes: TYPES,
    },
  },
});
const deliveries = {
  request: { query: WebhookDeliveriesDocument, variables: { endpoint: ENDPOINT.id } },
  result: {
    data: {
      __typename: 'Query',
      webhookDeliveries: {
        __typename: 'WebhookDeliveryConnection',
        totalCount: 1,
        edges: [
          {
            __typename: 'WebhookDeliveryEdge',
            node: {
              __typename: 'WebhookDelivery',
              id: 'V2ViaG9va0RlbGl2ZXJ5OjE=',
              webhookId: 'msg_1',
              eventType: 'VIDEO_VIRAL',
              status: 'FAILED',
              attemptCount: 8,
              lastStatusCode: 500,
              lastError: null,
              nextAttemptAt: null,
              createdAt: '2030-01-01T00:00:00Z',
            },
          },
        ],
      },
    },
  },
};

describe('Webhooks section', () => {
  it('adds an endpoint and shows its secret once', async () => {
    renderPage(<WebhooksSection />, {
      mocks: [
        section([]),
        {
          request: {
            query: CreateWebhookEndpointDocument,
            variables: {
              input: { url: 'https://hooks.example.com/pulse', events: ['VIDEO_VIRAL'] },
            },
          },
          result: {
            data: {
              __typename: 'Mutation',
              createWebhookEndpoint: {
                __typename: 'CreateWebhookEndpointPayload',
                secret: SECRET,
                endpoint: { __typename: 'WebhookEndpoint', id: ENDPOINT.id, url: ENDPOINT.url },
                userErrors: [],
              },
            },
          },
        },
        section([ENDPOINT]),
      ],
    });
    expect(await screen.findByText('No webhook endpoints yet')).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Endpoint URL'), ENDPOINT.url);
    await userEvent.click(screen.getByLabelText('video.viral'));
    await userEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect((await screen.findByTestId('webhook-secret-value')).textContent).toBe(SECRET);
    const list = await screen.findByRole('list', { name: 'Webhook endpoints' });
    expect(within(list).getByText(ENDPOINT.url)).toBeTruthy();
    expect(within(list).getByText('video.viral')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('webhook-secret-value')).toBeNull();
  });

  it('shows the delivery log with a replay button', async () => {
    renderPage(<WebhooksSection />, {
      mocks: [
        section([ENDPOINT]),
        deliveries,
        {
          request: {
            query: ReplayWebhookDeliveryDocument,
            variables: { id: 'V2ViaG9va0RlbGl2ZXJ5OjE=' },
          },
          result: {
            data: {
              __typename: 'Mutation',
              replayWebhookDelivery: {
                __typename: 'ReplayWebhookDeliveryPayload',
                delivery: { __typename: 'WebhookDelivery', id: 'V2ViaG9va0RlbGl2ZXJ5OjI=' },
                userErrors: [],
              },
            },
          },
        },
        deliveries,
      ],
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Deliveries' }));
    const table = await screen.findByRole('table');
    expect(within(table).getByText('Failed')).toBeTruthy();
    expect(within(table).getByText('HTTP 500')).toBeTruthy();
    await userEvent.click(within(table).getByRole('button', { name: /^Replay video\.viral/ }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a missing manage:webhooks scope instead of failing', async () => {
    renderPage(<WebhooksSection />, {
      mocks: [
        {
          request: { query: WebhooksSectionDocument },
          result: {
            errors: [{ message: 'no', extensions: { code: 'INSUFFICIENT_SCOPE' } }] as never,
          },
        },
      ],
    });
    expect(await screen.findByText('Webhooks need the manage:webhooks scope')).toBeTruthy();
  });
});

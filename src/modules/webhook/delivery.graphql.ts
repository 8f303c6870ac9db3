import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import type { WebhookAttempt } from '../../db/schema.js';
import { credentialManager } from '../auth/credential-rule.js';
import { signedIn } from '../auth/viewer.js';
import { payloadType, UserErrorRef } from '../common/common.graphql.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { MutationResult } from '../common/user-error.js';
import { isWebhookEventType } from './catalogue.js';
import {
  countDeliveries,
  listDeliveries,
  loadDeliveriesByIds,
  replayDelivery,
  replayFailedDeliveries,
  sendTestWebhook,
  type DeliveryFilter,
  type DeliveryListRow,
  type DeliveryWithAttempts,
} from './delivery.service.js';
import { WebhookEndpointRef, WebhookEventTypeEnum } from './webhook.graphql.js';

const SCOPE_NOTE = 'Needs `manage:webhooks`.';

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: {
      value: 'pending',
      description: 'Waiting for its next attempt (or its endpoint to be enabled).',
    },
    SUCCEEDED: { value: 'succeeded', description: 'The endpoint answered 2xx.' },
    FAILED: {
      value: 'failed',
      description: 'Given up: all 8 attempts failed, or the endpoint answered 410 Gone.',
    },
  } as const,
});

const HeaderRef = builder.objectRef<[string, string]>('WebhookHeader').implement({
  description: 'One HTTP header.',
  fields: (t) => ({
    name: t.string({ description: 'Header name (lower case).', resolve: ([name]) => name }),
    value: t.string({ description: 'Header value.', resolve: ([, value]) => value }),
  }),
});

const AttemptRef = builder.objectRef<WebhookAttempt>('WebhookDeliveryAttempt').implement({
  description: 'One try at delivering a message.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt', { description: 'Its number, from 1.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it started.' }),
    durationMs: t.exposeInt('durationMs', {
      description: 'Milliseconds until the response ended (or the failure).',
    }),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'The HTTP status; null when no response came (refused, blocked, timed out).',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why no response came, or null.',
    }),
    responseExcerpt: t.exposeString('responseExcerpt', {
      nullable: true,
      description: 'The first KiB of the response body.',
    }),
    requestHeaders: t.field({
      type: [HeaderRef],
      description: 'The headers sent (`webhook-id`, `webhook-timestamp`, `webhook-signature`, …).',
      resolve: (attempt) => Object.entries(attempt.requestHeaders),
    }),
  }),
});

export const WebhookDeliveryRef = builder.loadableNodeRef('WebhookDelivery', {
  id: { resolve: (delivery: DeliveryWithAttempts) => delivery.id },
  sort: (delivery) => delivery.id,
  load: (ids: string[], context: Context) =>
    loadDeliveriesByIds(context.db, credentialManager(signedIn(context)), ids),
});

WebhookDeliveryRef.implement({
  description: `One message to one endpoint, with every attempt. A replay is a new delivery with the same \`webhookId\`. ${SCOPE_NOTE}`,
  authScopes: { scope: 'manage:webhooks' },
  fields: (t) => ({
    webhookId: t.exposeString('messageId', {
      description:
        'The `webhook-id` header: the same on every attempt and replay, for receivers to dedupe.',
    }),
    endpoint: t.field({
      type: WebhookEndpointRef,
      description: 'Where it goes.',
      resolve: (delivery) => delivery.endpointId,
    }),
    eventType: t.field({
      type: WebhookEventTypeEnum,
      description: 'The event type.',
      resolve: (delivery) =>
        isWebhookEventType(delivery.eventType) ? delivery.eventType : 'webhook.test',
    }),
    status: t.expose('status', { type: DeliveryStatusEnum, description: 'Where it stands.' }),
    attemptCount: t.exposeInt('attempts', { description: 'Attempts made so far.' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due; null unless PENDING.',
      resolve: (delivery) => (delivery.status === 'pending' ? delivery.nextAttemptAt : null),
    }),
    lastStatusCode: t.exposeInt('lastStatusCode', {
      nullable: true,
      description: 'HTTP status of the last attempt; null if none answered.',
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the last attempt got no response, or null.',
    }),
    requestBody: t.exposeString('body', {
      description: 'The exact body sent (JSON: `type`, `timestamp`, `data`).',
    }),
    attempts: t.field({
      type: [AttemptRef],
      description: 'Every attempt, oldest first.',
      resolve: (delivery) => delivery.attemptLog,
    }),
    replayOf: t.field({
      type: WebhookDeliveryRef,
      nullable: true,
      description: 'The delivery this one replays; null for an original.',
      resolve: (delivery) => delivery.replayOf,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued.' }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it succeeded or was given up; null while PENDING.',
    }),
  }),
});

const DeliveryConnection = builder.connectionObject({
  type: WebhookDeliveryRef,
  name: 'WebhookDeliveryConnection',
  description: 'A page of webhook deliveries, newest first.',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many deliveries match, across all pages.',
      resolve: (connection) =>
        (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
    }),
  }),
});

const ORDER = 'webhook_deliveries:created_at:desc';

builder.queryFields((t) => ({
  webhookDeliveries: t.connection(
    {
      type: WebhookDeliveryRef,
      description: `The delivery log, newest first: every message to your endpoints (only endpoints whose scopes your credentials all hold), with each attempt's request headers, response status, response excerpt and duration. Kept for WEBHOOK_RETENTION_DAYS. \`first\`/\`last\` accept 1–100 (default 20). ${SCOPE_NOTE}`,
      authScopes: { scope: 'manage:webhooks' },
      args: {
        endpoint: t.arg.globalID({
          for: WebhookEndpointRef,
          description: 'Only this endpoint.',
        }),
        status: t.arg({ type: [DeliveryStatusEnum], description: 'Only these statuses.' }),
        event: t.arg({ type: [WebhookEventTypeEnum], description: 'Only these event types.' }),
      },
      resolve: async (_root, args, context) => {
        const manager = credentialManager(signedIn(context));
        const filter: DeliveryFilter = {
          endpointId: args.endpoint?.id ?? null,
          status: args.status ?? null,
          eventTypes: args.event ?? null,
        };
        const { maxPageSize, defaultPageSize } = context.config.limits;
        const connection = await resolveCursorConnection(
          {
            args,
            defaultSize: defaultPageSize,
            maxSize: maxPageSize,
            toCursor: (row: DeliveryListRow) =>
              encodeCursor({ order: ORDER, key: row.sortKey, id: row.id }),
          },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            listDeliveries(context.db, manager, filter, {
              after: decodeCursor(after, ORDER, 'timestamptz'),
              before: decodeCursor(before, ORDER, 'timestamptz'),
              limit,
              inverted,
            }),
        );
        return { ...connection, totalCount: () => countDeliveries(context.db, manager, filter) };
      },
    },
    DeliveryConnection,
  ),
}));

const ReplayInput = builder.inputType('ReplayWebhookDeliveryInput', {
  description: 'The delivery to send again.',
  fields: (t) => ({
    id: t.globalID({ for: WebhookDeliveryRef, required: true, description: 'The delivery.' }),
  }),
});

const ReplayFailedInput = builder.inputType('ReplayFailedDeliveriesInput', {
  description: 'Which failed deliveries to send again.',
  fields: (t) => ({
    endpoint: t.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }),
    since: t.field({
      type: 'DateTime',
      required: true,
      description: 'Deliveries queued at or after this time.',
    }),
  }),
});

const SendTestInput = builder.inputType('SendTestWebhookInput', {
  description: 'The endpoint to send a `webhook.test` message to.',
  fields: (t) => ({
    id: t.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }),
  }),
});

const ReplayFailedPayload = builder
  .objectRef<MutationResult<number>>('ReplayFailedDeliveriesPayload')
  .implement({
    description: 'Result of replayFailedDeliveries.',
    fields: (t) => ({
      queuedCount: t.int({
        description: 'How many messages were queued again.',
        resolve: (result) => (result.ok ? result.value : 0),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why nothing was queued; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

const RULE = `Only deliveries of endpoints whose scopes your credentials all hold; another account's is NOT_FOUND; a disabled endpoint is INVALID_STATUS. ${SCOPE_NOTE}`;

builder.mutationFields((t) => ({
  replayWebhookDelivery: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: payloadType(
      'ReplayWebhookDeliveryPayload',
      'delivery',
      WebhookDeliveryRef,
      'Result of replayWebhookDelivery.',
    ),
    description: `Sends a message again: a new delivery with the same \`webhookId\` and body, on a fresh retry schedule. ${RULE}`,
    args: { input: t.arg({ type: ReplayInput, required: true, description: 'The delivery.' }) },
    resolve: (_root, { input }, context) =>
      replayDelivery(context.db, credentialManager(context.viewer), input.id.id),
  }),
  replayFailedDeliveries: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: ReplayFailedPayload,
    description: `Sends again every message that failed for good on an endpoint since a time (each once; not those replayed already and pending or delivered). ${RULE}`,
    args: {
      input: t.arg({ type: ReplayFailedInput, required: true, description: 'Which ones.' }),
    },
    resolve: (_root, { input }, context) =>
      replayFailedDeliveries(
        context.db,
        credentialManager(context.viewer),
        input.endpoint.id,
        input.since,
      ),
  }),
  sendTestWebhook: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: payloadType(
      'SendTestWebhookPayload',
      'delivery',
      WebhookDeliveryRef,
      'Result of sendTestWebhook.',
    ),
    description: `Queues a \`webhook.test\` message to an endpoint, whatever event types it receives; follow it in the delivery log. ${RULE}`,
    args: { input: t.arg({ type: SendTestInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, context) =>
      sendTestWebhook(context.db, credentialManager(context.viewer), input.id.id),
  }),
}));

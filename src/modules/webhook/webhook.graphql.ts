import {
  encodeGlobalID,
  resolveCursorConnection,
  type ResolveCursorConnectionArgs,
} from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import type { WebhookEndpoint } from '../../db/schema.js';
import { credentialManager } from '../auth/credential-rule.js';
import { ScopeEnum } from '../auth/scopes.graphql.js';
import { isScope } from '../auth/scopes.js';
import { signedIn } from '../auth/viewer.js';
import { payloadType, UserErrorRef } from '../common/common.graphql.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { MutationResult } from '../common/user-error.js';
import { AppRef } from '../oauth-app/oauth-app.graphql.js';
import {
  isWebhookEventType,
  messageSchema,
  WEBHOOK_EVENTS,
  type WebhookEventSpec,
  type WebhookEventType,
} from './catalogue.js';
import {
  countWebhookEndpoints,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  loadWebhookEndpointsByIds,
  rotateWebhookSecret,
  setWebhookEndpointDisabled,
  updateWebhookEndpoint,
  type CreatedEndpoint,
  type EndpointListRow,
} from './endpoint.service.js';

const SCOPE_NOTE = 'Needs `manage:webhooks`.';

/** GraphQL names of the event types: `video.views.milestone` → VIDEO_VIEWS_MILESTONE. */
const enumName = (type: WebhookEventType) => type.replace(/\./g, '_').toUpperCase();

export const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description:
    'A kind of webhook event; the `type` field of a message is the dotted form (VIDEO_VIEWS_MILESTONE = `video.views.milestone`).',
  values: Object.fromEntries(
    WEBHOOK_EVENTS.map((spec) => [
      enumName(spec.type),
      { value: spec.type, description: `\`${spec.type}\`: ${spec.description}` },
    ]),
  ) as Record<string, { value: WebhookEventType; description: string }>,
});

const WebhookEventTypeInfoRef = builder
  .objectRef<WebhookEventSpec>('WebhookEventTypeInfo')
  .implement({
    description: 'One entry of the webhook event catalogue.',
    fields: (t) => ({
      type: t.field({
        type: WebhookEventTypeEnum,
        description: 'The event type.',
        resolve: (spec) => spec.type,
      }),
      name: t.exposeString('type', { description: 'The `type` in messages, e.g. `video.viral`.' }),
      description: t.exposeString('description', { description: 'When it is sent.' }),
      scope: t.field({
        type: ScopeEnum,
        description:
          'The scope an endpoint must have been created with (or an app granted) to receive it.',
        resolve: (spec) => spec.scope,
      }),
      schema: t.string({
        description:
          'JSON Schema (draft 2020-12) of the whole message (`type`, `timestamp`, `data`), as JSON text.',
        resolve: (spec) => JSON.stringify(messageSchema(spec)),
      }),
    }),
  });

const StatusEnum = builder.enumType('WebhookEndpointStatus', {
  description: 'Whether an endpoint receives deliveries.',
  values: {
    ENABLED: { value: 'enabled', description: 'Receives its events.' },
    DISABLED: {
      value: 'disabled',
      description: 'Gets nothing new; pending deliveries wait until it is enabled again.',
    },
  } as const,
});

const DisabledReasonEnum = builder.enumType('WebhookDisabledReason', {
  description: 'Why an endpoint is disabled.',
  values: {
    MANUAL: { value: 'manual', description: 'Someone disabled it (`disableWebhookEndpoint`).' },
    GONE: { value: 'gone', description: 'It answered 410 Gone.' },
    FAILING: { value: 'failing', description: 'Every attempt to it failed for 5 days.' },
  } as const,
});

export const WebhookEndpointRef = builder.loadableNodeRef('WebhookEndpoint', {
  id: { resolve: (endpoint: WebhookEndpoint) => endpoint.id },
  sort: (endpoint) => endpoint.id,
  load: (ids: string[], context: Context) =>
    loadWebhookEndpointsByIds(context.db, signedIn(context).user.id, ids),
});

WebhookEndpointRef.implement({
  description: `Where Pulse POSTs signed event messages (Standard Webhooks). ${SCOPE_NOTE}`,
  authScopes: { scope: 'manage:webhooks' },
  fields: (t) => ({
    url: t.exposeString('url', { description: 'The https URL messages are POSTed to.' }),
    description: t.exposeString('description', { description: 'Your note about it.' }),
    events: t.field({
      type: [WebhookEventTypeEnum],
      description: 'The event types it receives; empty = every type.',
      resolve: (endpoint) => endpoint.events.filter(isWebhookEventType),
    }),
    scopes: t.field({
      type: [ScopeEnum],
      description:
        'The scopes of the credentials that created it (of the app, for an app endpoint): it only receives events these scopes may read.',
      resolve: (endpoint) => endpoint.scopes.filter(isScope),
    }),
    app: t.field({
      type: AppRef,
      nullable: true,
      description:
        "The app whose endpoint this is (it receives the events of every account that installed the app, within each install's grant); null for your own endpoints.",
      resolve: (endpoint) => endpoint.appId,
    }),
    status: t.field({
      type: StatusEnum,
      description: 'Whether it receives deliveries.',
      resolve: (endpoint) => (endpoint.disabledAt ? 'disabled' : 'enabled'),
    }),
    disabledReason: t.field({
      type: DisabledReasonEnum,
      nullable: true,
      description: 'Why it is disabled; null while enabled.',
      resolve: (endpoint) =>
        endpoint.disabledAt ? (endpoint.disabledReason as 'manual' | 'gone' | 'failing') : null,
    }),
    disabledAt: t.expose('disabledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was disabled; null while enabled.',
    }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description:
        'First failed attempt since the last success; null while healthy. After 5 days it is disabled.',
    }),
    rotatedAt: t.expose('rotatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When its secret was last replaced; null if never.',
    }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'Until when messages also carry a signature made with the secret before the last rotation; null when they no longer do.',
      resolve: (endpoint) =>
        endpoint.previousSecret &&
        endpoint.previousSecretExpiresAt &&
        endpoint.previousSecretExpiresAt.getTime() > Date.now()
          ? endpoint.previousSecretExpiresAt
          : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const EndpointConnection = builder.connectionObject({
  type: WebhookEndpointRef,
  name: 'WebhookEndpointConnection',
  description: 'A page of webhook endpoints, newest first.',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many endpoints you have, across all pages.',
      resolve: (connection) =>
        (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
    }),
  }),
});

const ORDER = 'webhook_endpoints:created_at:desc';

builder.queryFields((t) => ({
  webhookEndpoints: t.connection(
    {
      type: WebhookEndpointRef,
      description: `Your webhook endpoints (and your apps'), newest first. \`first\`/\`last\` accept 1–100 (default 20). ${SCOPE_NOTE}`,
      authScopes: { scope: 'manage:webhooks' },
      resolve: async (_root, args, context) => {
        const ownerId = signedIn(context).user.id;
        const { maxPageSize, defaultPageSize } = context.config.limits;
        const connection = await resolveCursorConnection(
          {
            args,
            defaultSize: defaultPageSize,
            maxSize: maxPageSize,
            toCursor: (row: EndpointListRow) =>
              encodeCursor({ order: ORDER, key: row.sortKey, id: row.id }),
          },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            listWebhookEndpoints(context.db, ownerId, {
              after: decodeCursor(after, ORDER, 'timestamptz'),
              before: decodeCursor(before, ORDER, 'timestamptz'),
              limit,
              inverted,
            }),
        );
        return { ...connection, totalCount: () => countWebhookEndpoints(context.db, ownerId) };
      },
    },
    EndpointConnection,
  ),
  webhookEventTypes: t.field({
    type: [WebhookEventTypeInfoRef],
    description:
      'The webhook event catalogue: every event type, the scope it needs and the JSON Schema of its messages (also in docs/webhooks.md). Needs `manage:webhooks`.',
    authScopes: { scope: 'manage:webhooks' },
    resolve: () => [...WEBHOOK_EVENTS],
  }),
}));

const secretPayload = (name: string, description: string) =>
  builder.objectRef<MutationResult<CreatedEndpoint>>(name).implement({
    description,
    fields: (t) => ({
      endpoint: t.field({
        type: WebhookEndpointRef,
        nullable: true,
        description: 'The endpoint; null when the input was refused (see userErrors).',
        resolve: (result) => (result.ok ? result.value.endpoint : null),
      }),
      secret: t.string({
        nullable: true,
        description:
          'The signing secret (`whsec_…`), shown only in this response: store it now. Null when refused.',
        resolve: (result) => (result.ok ? result.value.secret : null),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why the input was refused; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

const CreateInput = builder.inputType('CreateWebhookEndpointInput', {
  description: 'A new webhook endpoint.',
  fields: (t) => ({
    url: t.string({
      required: true,
      description:
        'Where to POST messages: an https URL on a public address (checked again at every attempt).',
    }),
    events: t.field({
      type: [WebhookEventTypeEnum],
      description: 'The event types to receive; empty or omitted = every type.',
    }),
    description: t.string({ description: 'A note for yourself, up to 500 characters.' }),
    app: t.globalID({
      for: AppRef,
      description:
        "One of your apps: the endpoint then receives the events of every account that installed it, within each install's grant. Your credentials must hold all the app's scopes.",
    }),
  }),
});

const UpdateInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Changes to an endpoint; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }),
    url: t.string({ description: 'The new URL (same rules as at creation).' }),
    events: t.field({
      type: [WebhookEventTypeEnum],
      description: 'The event types to receive; empty = every type.',
    }),
    description: t.string({ description: 'The new note.' }),
  }),
});

const idInput = (name: string, what: string) =>
  builder.inputType(name, {
    description: `The endpoint to ${what}.`,
    fields: (t) => ({
      id: t.globalID({ for: WebhookEndpointRef, required: true, description: 'The endpoint.' }),
    }),
  });

const payload = (name: string, what: string) =>
  payloadType(name, 'endpoint', WebhookEndpointRef, `Result of ${what}.`);

const DeletePayload = builder.objectRef<MutationResult<string>>('DeleteWebhookEndpointPayload');
DeletePayload.implement({
  description: 'Result of deleteWebhookEndpoint.',
  fields: (t) => ({
    deletedEndpointId: t.id({
      nullable: true,
      description: 'Global ID of the deleted endpoint; null when refused.',
      resolve: (result) => (result.ok ? encodeGlobalID('WebhookEndpoint', result.value) : null),
    }),
    userErrors: t.field({
      type: [UserErrorRef],
      description: 'Why nothing was deleted; empty on success.',
      resolve: (result) => (result.ok ? [] : result.errors),
    }),
  }),
});

const MANAGE_RULE = `Only endpoints whose scopes your credentials all hold (else INSUFFICIENT_SCOPE); another account's endpoint is NOT_FOUND. ${SCOPE_NOTE}`;

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: secretPayload('CreateWebhookEndpointPayload', 'Result of createWebhookEndpoint.'),
    description: `Creates a webhook endpoint; its signing secret is in this response only. It receives only events your credentials' scopes may read. ${SCOPE_NOTE}`,
    args: { input: t.arg({ type: CreateInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, context) =>
      createWebhookEndpoint(context.webhooks, credentialManager(context.viewer), {
        url: input.url,
        events: input.events ?? null,
        description: input.description ?? null,
        appId: input.app?.id ?? null,
      }),
  }),
  updateWebhookEndpoint: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: payload('UpdateWebhookEndpointPayload', 'updateWebhookEndpoint'),
    description: `Changes an endpoint's URL, event types or description. ${MANAGE_RULE}`,
    args: { input: t.arg({ type: UpdateInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, context) =>
      updateWebhookEndpoint(context.webhooks, credentialManager(context.viewer), input.id.id, {
        url: input.url ?? null,
        events: input.events ?? null,
        description: input.description ?? null,
      }),
  }),
  rotateWebhookSecret: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: secretPayload('RotateWebhookSecretPayload', 'Result of rotateWebhookSecret.'),
    description: `Gives an endpoint a new signing secret (in this response only). For a grace period (WEBHOOK_SECRET_ROTATION_GRACE_HOURS, default 24 h) messages carry two signatures, with the new and the old secret. ${MANAGE_RULE}`,
    args: {
      input: t.arg({
        type: idInput('RotateWebhookSecretInput', 'rotate'),
        required: true,
        description: 'The endpoint.',
      }),
    },
    resolve: (_root, { input }, context) =>
      rotateWebhookSecret(
        context.webhooks,
        credentialManager(context.viewer),
        input.id.id,
        context.webhooks.config.rotationGraceMs,
      ),
  }),
  disableWebhookEndpoint: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: payload('DisableWebhookEndpointPayload', 'disableWebhookEndpoint'),
    description: `Stops deliveries to an endpoint: nothing new is queued for it, pending ones wait. ${MANAGE_RULE}`,
    args: {
      input: t.arg({
        type: idInput('DisableWebhookEndpointInput', 'disable'),
        required: true,
        description: 'The endpoint.',
      }),
    },
    resolve: (_root, { input }, context) =>
      setWebhookEndpointDisabled(context.db, credentialManager(context.viewer), input.id.id, true),
  }),
  enableWebhookEndpoint: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: payload('EnableWebhookEndpointPayload', 'enableWebhookEndpoint'),
    description: `Enables an endpoint again (also one disabled for failing or 410): pending deliveries are sent, the failure clock restarts. Replay what failed with replayFailedDeliveries. ${MANAGE_RULE}`,
    args: {
      input: t.arg({
        type: idInput('EnableWebhookEndpointInput', 'enable'),
        required: true,
        description: 'The endpoint.',
      }),
    },
    resolve: (_root, { input }, context) =>
      setWebhookEndpointDisabled(context.db, credentialManager(context.viewer), input.id.id, false),
  }),
  deleteWebhookEndpoint: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: DeletePayload,
    description: `Deletes an endpoint with its deliveries and their log. ${MANAGE_RULE}`,
    args: {
      input: t.arg({
        type: idInput('DeleteWebhookEndpointInput', 'delete'),
        required: true,
        description: 'The endpoint.',
      }),
    },
    resolve: (_root, { input }, context) =>
      deleteWebhookEndpoint(context.db, credentialManager(context.viewer), input.id.id),
  }),
}));

import type { Scope } from '../auth/scopes.js';

export const WEBHOOK_EVENT_TYPES = [
  'video.views.milestone',
  'video.viral',
  'video.processing.completed',
  'video.processing.failed',
  'video.published',
  'video.deleted',
  'metrics.threshold',
  'report.run.completed',
  'export.completed',
  'api_key.rotated',
  'api_key.revoked',
  'app.installed',
  'app.uninstalled',
  'webhook.endpoint.disabled',
  'webhook.test',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** A JSON Schema (draft 2020-12) object, as plain data. */
export type JsonSchema = Record<string, unknown>;

export interface WebhookEventSpec {
  type: WebhookEventType;
  description: string;
  /** The scope a credential needs to read what the event carries. */
  scope: Scope;
  /** The schema of `data` (the envelope is the same for every type). */
  data: JsonSchema;
}

const id = (type: string): JsonSchema => ({
  type: 'string',
  description: `Global ID of the ${type} (the one the GraphQL API uses).`,
});
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});
const video = object({ id: id('Video'), title: { type: 'string' } });
const apiKey = object({
  id: id('ApiKey'),
  name: { type: 'string' },
  prefix: { type: 'string', description: 'The public start of the key.' },
});
const app = object({ id: id('App'), name: { type: 'string' }, clientId: { type: 'string' } });
const METRICS = [
  'VIEWS',
  'LIKES',
  'SHARES',
  'COMMENTS',
  'SAVES',
  'CLICKS',
  'IMPRESSIONS',
  'REACH',
  'WATCH_SECONDS',
];
const FORMATS = ['CSV', 'XLSX', 'JSON', 'NDJSON', 'PDF'];

/** Every event type: what it means, who may receive it, and the schema of its `data`. */
export const WEBHOOK_EVENTS: readonly WebhookEventSpec[] = [
  {
    type: 'video.views.milestone',
    description: 'A video passed a lifetime view milestone (1K, 10K, 100K, 1M, 10M).',
    scope: 'read:videos',
    data: object({ video, milestone: count, views: count }),
  },
  {
    type: 'video.viral',
    description: 'A video is getting views far above its recent rate (at most once an hour).',
    scope: 'read:videos',
    data: object({
      video,
      views: { ...count, description: 'Views in the recent window.' },
      expected: { type: 'number', description: 'Views expected in that window at the usual rate.' },
      windowMinutes: count,
    }),
  },
  ...(['completed', 'failed'] as const).map((outcome): WebhookEventSpec => ({
    type: `video.processing.${outcome}`,
    description:
      outcome === 'completed'
        ? 'A video finished processing (READY); the same fields as the `videoProcessingStatus` subscription.'
        : 'A video could not be processed (FAILED); the same fields as the `videoProcessingStatus` subscription.',
    scope: 'read:videos',
    data: object({
      video,
      status: { const: outcome === 'completed' ? 'READY' : 'FAILED' },
      progress: { type: 'integer', minimum: 0, maximum: 100 },
      at: dateTime,
    }),
  })),
  {
    type: 'video.published',
    description: 'A video was published on one or more platforms.',
    scope: 'read:videos',
    data: object({
      video,
      platforms: {
        type: 'array',
        items: { enum: ['YOUTUBE', 'TIKTOK', 'INSTAGRAM', 'TWITTER'] },
        description: 'The platforms of this publishing (ones it was already on are left out).',
      },
      publishedAt: dateTime,
    }),
  },
  {
    type: 'video.deleted',
    description: 'A video was deleted, with its publications and metrics.',
    scope: 'read:videos',
    data: object({ video }),
  },
  {
    type: 'metrics.threshold',
    description:
      "One of your threshold rules became true: a metric's sum over its window went above or below its threshold.",
    scope: 'read:analytics',
    data: object({
      rule: object({
        id: id('WebhookThresholdRule'),
        metric: { enum: METRICS },
        direction: { enum: ['ABOVE', 'BELOW'] },
        threshold: count,
        windowMinutes: count,
      }),
      video: nullable(video),
      value: { ...count, description: 'The sum over the window when the rule fired.' },
      at: dateTime,
    }),
  },
  {
    type: 'report.run.completed',
    description: 'A report run finished (successfully or not).',
    scope: 'read:analytics',
    data: object({
      run: object({
        id: id('ReportRun'),
        report: id('Report'),
        status: { enum: ['SUCCEEDED', 'FAILED'] },
        trigger: { enum: ['MANUAL', 'SCHEDULE'] },
        startedAt: dateTime,
        finishedAt: dateTime,
        rows: nullable(count),
        exports: { type: 'array', items: id('Export') },
        error: nullable({ type: 'string' }),
      }),
    }),
  },
  {
    type: 'export.completed',
    description: 'An export finished: its file can be downloaded (or it failed).',
    scope: 'read:analytics',
    data: object({
      export: object({
        id: id('Export'),
        status: { enum: ['SUCCEEDED', 'FAILED'] },
        format: { enum: FORMATS },
        rows: nullable(count),
        bytes: nullable(count),
        report: nullable(id('Report')),
        downloadUrl: nullable({ type: 'string', format: 'uri' }),
        expiresAt: nullable(dateTime),
        error: nullable({ type: 'string' }),
      }),
    }),
  },
  {
    type: 'api_key.rotated',
    description: 'An API key got a new secret; the old one works until `previousSecretExpiresAt`.',
    scope: 'read:user',
    data: object({ apiKey, previousSecretExpiresAt: nullable(dateTime) }),
  },
  {
    type: 'api_key.revoked',
    description: 'An API key was revoked for good.',
    scope: 'read:user',
    data: object({ apiKey }),
  },
  {
    type: 'app.installed',
    description:
      'An app was installed on the account (or its grant widened). Also sent to the app’s own endpoints.',
    scope: 'read:user',
    data: object({ app, scopes: { type: 'array', items: { type: 'string' } } }),
  },
  {
    type: 'app.uninstalled',
    description: 'An app was uninstalled from the account. Also sent to the app’s own endpoints.',
    scope: 'read:user',
    data: object({ app }),
  },
  {
    type: 'webhook.endpoint.disabled',
    description:
      'One of your webhook endpoints was disabled: it answered 410 Gone, or every delivery failed for 5 days.',
    scope: 'manage:webhooks',
    data: object({
      endpoint: object({ id: id('WebhookEndpoint'), url: { type: 'string' } }),
      reason: { enum: ['GONE', 'FAILING'] },
    }),
  },
  {
    type: 'webhook.test',
    description: 'Sent by `sendTestWebhook`, to check an endpoint; whatever it subscribes to.',
    scope: 'manage:webhooks',
    data: object({ endpoint: id('WebhookEndpoint'), message: { type: 'string' } }),
  },
];

export const WEBHOOK_EVENT_SPECS = new Map(WEBHOOK_EVENTS.map((spec) => [spec.type, spec]));

/** The JSON Schema of a whole message of this type (envelope and data). */
export function messageSchema(spec: WebhookEventSpec): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: spec.type,
    description: spec.description,
    ...object({
      type: { const: spec.type },
      timestamp: { ...dateTime, description: 'When the event happened.' },
      data: spec.data,
    }),
  };
}

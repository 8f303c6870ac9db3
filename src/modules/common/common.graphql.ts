import type { ObjectRef, SchemaTypes } from '@pothos/core';
import { builder } from '../../builder.js';
import { PLATFORMS, PLANS, VIDEO_STATUSES, type MetricValues } from '../../db/schema.js';
import { USER_ERROR_CODES, type MutationResult, type UserErrorData } from './user-error.js';
import {
  clickThroughRate,
  engagementRate,
  METRIC_DESCRIPTIONS,
  type Trend,
} from './metric-keys.js';

type BuilderTypes = typeof builder extends { $inferSchemaTypes: infer T extends SchemaTypes }
  ? T
  : never;

const upper = (value: string) => value.toUpperCase();

function enumValues<T extends string>(values: readonly T[], describe: (value: T) => string) {
  return Object.fromEntries(
    values.map((value) => [upper(value), { value, description: describe(value) }]),
  ) as Record<Uppercase<T>, { value: T; description: string }>;
}

const platformNames: Record<(typeof PLATFORMS)[number], string> = {
  youtube: 'YouTube',
  tiktok: 'TikTok',
  instagram: 'Instagram',
  twitter: 'X (formerly Twitter)',
};

export const PlatformEnum = builder.enumType('Platform', {
  description: 'A social platform content is published on.',
  values: enumValues(PLATFORMS, (platform) => platformNames[platform]),
});

export const PlanEnum = builder.enumType('Plan', {
  description: 'Subscription tier; decides rate limits and quotas.',
  values: enumValues(PLANS, (plan) => `The ${plan} tier.`),
});

const statusDescriptions: Record<(typeof VIDEO_STATUSES)[number], string> = {
  draft: 'Created, not yet processed or published.',
  processing: 'Media is being processed; see processingProgress.',
  ready: 'Processed and ready to publish.',
  published: 'Published on at least one platform.',
  failed: 'Processing failed.',
};

export const VideoStatusEnum = builder.enumType('VideoStatus', {
  description: 'Lifecycle state of a video.',
  values: enumValues(VIDEO_STATUSES, (status) => statusDescriptions[status]),
});

export const SortDirectionEnum = builder.enumType('SortDirection', {
  description: 'Sort order.',
  values: {
    ASC: { value: 'asc', description: 'Smallest first.' },
    DESC: { value: 'desc', description: 'Largest first.' },
  } as const,
});

export const TrendEnum = builder.enumType('Trend', {
  description:
    'Direction of a change: UP or DOWN when it is at least 1 % either way ((current − previous) / previous × 100), else STABLE. From a previous value of 0, any rise is UP.',
  values: {
    UP: { value: 'up', description: 'Rose by 1 % or more.' },
    DOWN: { value: 'down', description: 'Fell by 1 % or more.' },
    STABLE: { value: 'stable', description: 'Changed by less than 1 %.' },
  } as const satisfies Record<string, { value: Trend; description: string }>,
});

export const MetricTotalsRef = builder.objectRef<MetricValues>('MetricTotals').implement({
  description: 'Lifetime metric totals, with the derived rates.',
  fields: (t) => ({
    views: t.expose('views', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.views }),
    likes: t.expose('likes', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.likes }),
    shares: t.expose('shares', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.shares }),
    comments: t.expose('comments', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.comments }),
    saves: t.expose('saves', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.saves }),
    clicks: t.expose('clicks', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.clicks }),
    impressions: t.expose('impressions', {
      type: 'SafeInt',
      description: METRIC_DESCRIPTIONS.impressions,
    }),
    reach: t.expose('reach', { type: 'SafeInt', description: METRIC_DESCRIPTIONS.reach }),
    watchTimeSeconds: t.expose('watchSeconds', {
      type: 'SafeInt',
      description: METRIC_DESCRIPTIONS.watchSeconds,
    }),
    engagementRate: t.float({
      nullable: true,
      description:
        '(likes + comments + shares) / views × 100, rounded to 2 decimals; null without views.',
      resolve: engagementRate,
    }),
    ctr: t.float({
      nullable: true,
      description: 'Click-through rate: clicks / impressions × 100; null without impressions.',
      resolve: clickThroughRate,
    }),
  }),
});

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', {
  description: 'Why a mutation input was refused.',
  values: {
    INVALID: { value: 'INVALID', description: 'The value is malformed or out of range.' },
    NOT_FOUND: {
      value: 'NOT_FOUND',
      description: 'The referenced object does not exist or is not yours.',
    },
    TAKEN: { value: 'TAKEN', description: 'The value must be unique and is already used.' },
    INVALID_STATUS: {
      value: 'INVALID_STATUS',
      description: 'The object is in a state that does not allow this.',
    },
    NO_CHANNEL: { value: 'NO_CHANNEL', description: 'You have no channel on that platform.' },
    LIMIT_REACHED: {
      value: 'LIMIT_REACHED',
      description: 'Your plan allows no more of these (e.g. API keys); remove one or upgrade.',
    },
    INSUFFICIENT_SCOPE: {
      value: 'INSUFFICIENT_SCOPE',
      description:
        'The object is a credential (API key, app) with scopes your credentials lack: only a credential holding all of them may manage it.',
    },
  } satisfies Record<(typeof USER_ERROR_CODES)[number], unknown>,
});

export const UserErrorRef = builder.objectRef<UserErrorData>('UserError').implement({
  description: 'A problem with a mutation input; the mutation made no change.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      description:
        'Path to the offending input field, e.g. ["input", "title"]; empty for the whole input.',
    }),
    message: t.exposeString('message', { description: 'Human-readable explanation.' }),
    code: t.expose('code', { type: UserErrorCodeEnum, description: 'Machine-readable reason.' }),
  }),
});

/**
 * Builds `<Name>Payload { <field>: T, userErrors: [UserError!]! }` for a mutation whose service
 * returns a MutationResult: the object when it succeeded, otherwise why nothing changed.
 */
export function payloadType<T>(
  name: string,
  field: string,
  ref: ObjectRef<BuilderTypes, T, unknown>,
  description: string,
) {
  return builder.objectRef<MutationResult<T>>(name).implement({
    description,
    fields: (t) => ({
      [field]: t.field({
        type: ref,
        nullable: true,
        description: 'The result; null when the input was refused (see userErrors).',
        // Pothos's resolver typing can't see through the generic T; the shape is right by construction.
        resolve: (result) => (result.ok ? result.value : null) as never,
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why the input was refused; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });
}

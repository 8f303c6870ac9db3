import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import type { MetricKey, WebhookThresholdRule } from '../../db/schema.js';
import { signedIn } from '../auth/viewer.js';
import { payloadType, UserErrorRef } from '../common/common.graphql.js';
import type { MutationResult } from '../common/user-error.js';
import { MetricEnum } from '../ingest/ingest.graphql.js';
import { VideoRef } from '../video/video.graphql.js';
import {
  createThresholdRule,
  deleteThresholdRule,
  listThresholdRules,
  loadThresholdRulesByIds,
} from './threshold.service.js';

const SCOPE_NOTE = 'Needs `manage:webhooks`.';

const DirectionEnum = builder.enumType('ThresholdDirection', {
  description: 'Which side of the threshold fires the rule.',
  values: {
    ABOVE: { value: 'above', description: 'The windowed sum is greater than the threshold.' },
    BELOW: { value: 'below', description: 'The windowed sum is less than the threshold.' },
  } as const,
});

export const ThresholdRuleRef = builder.loadableNodeRef('WebhookThresholdRule', {
  id: { resolve: (rule: WebhookThresholdRule) => rule.id },
  sort: (rule) => rule.id,
  load: (ids: string[], context: Context) =>
    loadThresholdRulesByIds(context.db, signedIn(context).user.id, ids),
});

ThresholdRuleRef.implement({
  description: `A rule that sends \`metrics.threshold\` webhooks: a metric summed over the last \`windowMinutes\` (by event time), for one video or the whole account, compared with \`threshold\`. It fires when the comparison becomes true, and again only after it was false. Evaluated after each committed ingest batch of the account. ${SCOPE_NOTE}`,
  authScopes: { scope: 'manage:webhooks' },
  fields: (t) => ({
    metric: t.field({
      type: MetricEnum,
      description: 'The metric summed.',
      resolve: (rule) => rule.metric as MetricKey,
    }),
    video: t.field({
      type: VideoRef,
      nullable: true,
      description: 'The video it watches; null: the whole account.',
      resolve: (rule) => rule.videoId,
    }),
    direction: t.expose('direction', { type: DirectionEnum, description: 'Above or below.' }),
    threshold: t.exposeInt('threshold', { description: 'The value compared with.' }),
    windowMinutes: t.exposeInt('windowMinutes', { description: 'The window, in minutes.' }),
    active: t.exposeBoolean('active', {
      description: 'Whether the comparison held at the last evaluation (it fired then).',
    }),
    lastValue: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'The windowed sum when its state last changed; null before.',
      resolve: (rule) => rule.lastValue,
    }),
    lastFiredAt: t.expose('lastFiredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last fired; null if never.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
  }),
});

builder.queryFields((t) => ({
  webhookThresholdRules: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: [ThresholdRuleRef],
    description: `Your \`metrics.threshold\` rules, oldest first. ${SCOPE_NOTE}`,
    resolve: (_root, _args, context) => listThresholdRules(context.db, context.viewer.user.id),
  }),
}));

const CreateInput = builder.inputType('CreateWebhookThresholdRuleInput', {
  description: 'A new threshold rule.',
  fields: (t) => ({
    metric: t.field({ type: MetricEnum, required: true, description: 'The metric to sum.' }),
    video: t.globalID({ for: VideoRef, description: 'One of your videos; omitted: the account.' }),
    direction: t.field({ type: DirectionEnum, required: true, description: 'Above or below.' }),
    threshold: t.int({ required: true, description: 'The value to compare with (≥ 0).' }),
    windowMinutes: t.int({
      required: true,
      description: 'The window to sum over, 1–10080 minutes.',
    }),
  }),
});

const DeleteInput = builder.inputType('DeleteWebhookThresholdRuleInput', {
  description: 'The rule to delete.',
  fields: (t) => ({
    id: t.globalID({ for: ThresholdRuleRef, required: true, description: 'The rule.' }),
  }),
});

const DeletePayload = builder
  .objectRef<MutationResult<string>>('DeleteWebhookThresholdRulePayload')
  .implement({
    description: 'Result of deleteWebhookThresholdRule.',
    fields: (t) => ({
      deletedRuleId: t.id({
        nullable: true,
        description: 'Global ID of the deleted rule; null when refused.',
        resolve: (result) =>
          result.ok ? encodeGlobalID('WebhookThresholdRule', result.value) : null,
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why nothing was deleted; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

builder.mutationFields((t) => ({
  createWebhookThresholdRule: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: payloadType(
      'CreateWebhookThresholdRulePayload',
      'rule',
      ThresholdRuleRef,
      'Result of createWebhookThresholdRule.',
    ),
    description: `Creates a \`metrics.threshold\` rule (at most 50 per account). Its events need \`read:analytics\` on the receiving endpoint. ${SCOPE_NOTE}`,
    args: { input: t.arg({ type: CreateInput, required: true, description: 'The rule.' }) },
    resolve: (_root, { input }, context) =>
      createThresholdRule(context.db, context.viewer.user.id, {
        metric: input.metric,
        direction: input.direction,
        threshold: input.threshold,
        windowMinutes: input.windowMinutes,
        videoId: input.video?.id ?? null,
      }),
  }),
  deleteWebhookThresholdRule: t.withAuth({ scope: 'manage:webhooks' }).field({
    type: DeletePayload,
    description: `Deletes a threshold rule. ${SCOPE_NOTE}`,
    args: { input: t.arg({ type: DeleteInput, required: true, description: 'The rule.' }) },
    resolve: (_root, { input }, context) =>
      deleteThresholdRule(context.db, context.viewer.user.id, input.id.id),
  }),
}));

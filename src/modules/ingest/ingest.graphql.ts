import { builder } from '../../builder.js';
import { badUserInput, serviceUnavailable } from '../../errors.js';
import { IngestOverloadedError, IngestStoppedError } from './writer.js';
import { METRIC_KEYS } from '../../db/schema.js';
import { PlatformEnum } from '../common/common.graphql.js';
import { METRIC_DESCRIPTIONS, metricName } from '../common/metric-keys.js';
import { PublicationRef, VideoRef } from '../video/video.graphql.js';
import { eventTarget, recordMetrics, type IngestReport, type ItemError } from './ingest.service.js';

export const MetricEnum = builder.enumType('Metric', {
  description: 'A countable metric.',
  values: Object.fromEntries(
    METRIC_KEYS.map((key) => [
      metricName(key),
      { value: key, description: METRIC_DESCRIPTIONS[key] },
    ]),
  ),
});

const MetricEventInput = builder.inputType('MetricEventInput', {
  description:
    'One metric event. Name its publication with exactly one of: `publication`; `video` (+ `platform` when the video is on several platforms); `platform` + `platformPostId`. Give exactly one of `delta` and `total`.',
  fields: (t) => ({
    id: t.string({
      required: true,
      description:
        'Your id for the event (1–200 characters): the idempotency key. Resending an id is harmless.',
    }),
    publication: t.globalID({ for: PublicationRef, description: 'The publication it counts for.' }),
    video: t.globalID({ for: VideoRef, description: 'The video it counts for.' }),
    platform: t.field({
      type: PlatformEnum,
      description: 'The platform, with `video` or `platformPostId`.',
    }),
    platformPostId: t.string({ description: "The platform's post id, with `platform`." }),
    metric: t.field({ type: MetricEnum, required: true, description: 'What it counts.' }),
    delta: t.field({ type: 'SafeInt', description: 'An increment (0 – 10^12).' }),
    total: t.field({
      type: 'SafeInt',
      description:
        'A cumulative total from a platform poll; the counter rises to it and never falls.',
    }),
    occurredAt: t.field({
      type: 'DateTime',
      description: 'When it happened (default: now); at most 5 minutes ahead and 30 days back.',
    }),
  }),
});

const RecordMetricsInput = builder.inputType('RecordMetricsInput', {
  description: 'A batch of metric events.',
  fields: (t) => ({
    events: t.field({
      type: [MetricEventInput],
      required: true,
      description: 'Up to 1,000 events.',
    }),
  }),
});

const RejectedEventCodeEnum = builder.enumType('RejectedEventCode', {
  description: 'Why an event was refused.',
  values: {
    INVALID: { description: 'Malformed: see the message.' },
    NOT_FOUND: {
      description: "No such publication among yours (another account's content answers the same).",
    },
    AMBIGUOUS: { description: 'The video is on several platforms: add platform.' },
  } satisfies Record<ItemError['code'], unknown>,
});

const RejectedEventRef = builder.objectRef<ItemError>('RejectedMetricEvent').implement({
  description: 'An event that was not stored, and why.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the input list (0-based).' }),
    id: t.exposeString('id', { nullable: true, description: 'Its id, when it had one.' }),
    code: t.expose('code', {
      type: RejectedEventCodeEnum,
      description: 'Machine-readable reason.',
    }),
    message: t.exposeString('message', { description: 'Human-readable reason.' }),
  }),
});

const RecordMetricsPayload = builder.objectRef<IngestReport>('RecordMetricsPayload').implement({
  description: 'What happened to a batch. Valid events were stored together, before this answer.',
  fields: (t) => ({
    accepted: t.exposeInt('accepted', { description: 'Events stored now.' }),
    duplicates: t.exposeInt('duplicates', {
      description: 'Events whose id was already stored (not counted again).',
    }),
    rejected: t.field({
      type: [RejectedEventRef],
      description: 'Events refused, with reasons; the others were stored.',
      resolve: (report) => report.rejected,
    }),
  }),
});

builder.mutationFields((t) => ({
  recordMetrics: t.withAuth({ scope: 'write:metrics' }).field({
    type: RecordMetricsPayload,
    description:
      "Records metric events for your publications: idempotent by event id, acknowledged only after commit. Targets are looked up among your own content only: an event naming another account's content is rejected NOT_FOUND, exactly as one naming nothing, and the other events are stored. When the server is saturated it answers SERVICE_UNAVAILABLE (retry). Needs `write:metrics`.",
    args: {
      input: t.arg({ type: RecordMetricsInput, required: true, description: 'The events.' }),
    },
    resolve: async (_root, { input }, context) => {
      const { maxEventsPerMutation } = context.config.ingest;
      if (input.events.length > maxEventsPerMutation) {
        throw badUserInput(
          `At most ${maxEventsPerMutation} events per call; use POST /ingest for bulk.`,
        );
      }
      const events = input.events.map((event) => ({
        id: event.id,
        target: eventTarget({
          publicationId: event.publication?.id,
          videoId: event.video?.id,
          platform: event.platform,
          platformPostId: event.platformPostId,
        }),
        metric: event.metric,
        delta: event.delta ?? null,
        total: event.total ?? null,
        occurredAt: event.occurredAt ?? null,
      }));
      try {
        return await recordMetrics(
          context.db,
          context.ingest,
          context.viewer.user.id,
          events,
          context.config.ingest,
        );
      } catch (error) {
        if (error instanceof IngestOverloadedError || error instanceof IngestStoppedError)
          throw serviceUnavailable(error.message);
        throw error;
      }
    },
  }),
}));

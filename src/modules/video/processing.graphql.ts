import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { Repeater } from 'graphql-yoga';
import { builder } from '../../builder.js';
import { notFound } from '../../errors.js';
import { listenNow } from '../../lib/listen.js';
import type { VideoProcessingChange } from '../../lib/pubsub.js';
import { payloadType, VideoStatusEnum } from '../common/common.graphql.js';
import { VideoRef } from './video.graphql.js';
import { loadVideosByIds } from './video.loaders.js';
import { processingChangeOf, updateVideoProcessing } from './processing.service.js';

const UpdateVideoProcessingInput = builder.inputType('UpdateVideoProcessingInput', {
  description:
    "A transcoder's report on a video. Allowed: DRAFT, READY or FAILED → PROCESSING (start, re-encode, retry); PROCESSING → PROCESSING (progress, never lower), READY or FAILED. Anything else is refused with INVALID_STATUS.",
  fields: (t) => ({
    id: t.globalID({ for: VideoRef, required: true, description: 'The video.' }),
    status: t.field({
      type: VideoStatusEnum,
      required: true,
      description: 'PROCESSING, READY or FAILED (others are refused with INVALID).',
    }),
    progress: t.int({
      description:
        'Progress, 0–100. Omitted: unchanged while processing, 0 when starting, 100 for READY (which only accepts 100).',
    }),
  }),
});

const UpdateVideoProcessingPayload = payloadType(
  'UpdateVideoProcessingPayload',
  'video',
  VideoRef,
  'Result of updateVideoProcessing.',
);

const VideoProcessingStatusRef = builder
  .objectRef<VideoProcessingChange>('VideoProcessingStatus')
  .implement({
    description: "A video's processing state, as sent by `videoProcessingStatus`.",
    fields: (t) => ({
      video: t.field({
        type: VideoRef,
        description: 'The video, as it is when the message is sent.',
        resolve: (change) => change.videoId,
      }),
      status: t.expose('status', { type: VideoStatusEnum, description: 'Lifecycle state.' }),
      progress: t.exposeInt('progress', { description: 'Processing progress, 0–100.' }),
      at: t.field({
        type: 'DateTime',
        description: 'When the video last changed (this state or a later edit).',
        resolve: (change) => change.at,
      }),
    }),
  });

builder.mutationFields((t) => ({
  updateVideoProcessing: t.withAuth({ scope: 'write:videos' }).field({
    type: UpdateVideoProcessingPayload,
    description:
      "Reports a video's processing status and progress (for a transcoder or integrator); `videoProcessingStatus` subscribers get the change, and finishing (READY) or failing raises a notification. Needs `write:videos`.",
    args: {
      input: t.arg({
        type: UpdateVideoProcessingInput,
        required: true,
        description: 'The report.',
      }),
    },
    resolve: async (_root, { input }, context) => {
      return updateVideoProcessing(
        context.db,
        context.pubsub,
        context.viewer.user.id,
        input.id.id,
        {
          status: input.status,
          progress: input.progress,
        },
      );
    },
  }),
}));

builder.subscriptionFields((t) => ({
  videoProcessingStatus: t.withAuth({ scope: 'read:videos' }).field({
    type: VideoProcessingStatusRef,
    description:
      "The video's processing status and progress now, then each time they change; completes when the video is deleted. Needs `read:videos`.",
    args: {
      videoId: t.arg.globalID({ for: VideoRef, required: true, description: 'The video.' }),
    },
    subscribe: async (_root, { videoId }, context) => {
      const viewerId = context.viewer.user.id;
      // Listen before reading, so no change committed in between is missed.
      const changes = listenNow([context.pubsub.subscribe('video:changed', videoId.id)]);
      const load = async () => {
        const [video] = await loadVideosByIds(context.db, viewerId, [videoId.id]);
        return video ? processingChangeOf(video) : null;
      };
      const current = await load().catch(async (error: unknown) => {
        await changes.return?.();
        throw error;
      });
      if (!current) {
        await changes.return?.();
        throw notFound('Video');
      }
      // A Repeater (unlike a generator) releases the topic even when returned before its start.
      return new Repeater<VideoProcessingChange>(async (push, stop) => {
        const shutdown = () => stop();
        context.shutdownSignal.addEventListener('abort', shutdown, { once: true });
        if (context.shutdownSignal.aborted) shutdown();
        void stop.then(() => {
          context.shutdownSignal.removeEventListener('abort', shutdown);
          return changes.return?.();
        });
        let last = current;
        await push(last);
        for await (const change of changes) {
          if (change.deleted) break;
          // Re-read rather than trust the event: concurrent reports may be announced out of
          // order, and edits announce no processing state. Repeats are skipped.
          const now = await load();
          if (!now) break;
          if (now.status === last.status && now.progress === last.progress) continue;
          last = now;
          await push(now);
        }
        stop();
      });
    },
    resolve: (change, _args, context) => {
      // One context serves the whole subscription: drop cached rows so `video` is fresh.
      clearAllDataLoaders(context);
      return change;
    },
  }),
}));

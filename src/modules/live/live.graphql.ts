import { builder } from '../../builder.js';
import { badUserInput, notFound } from '../../errors.js';
import {
  DEFAULT_INTERVAL_MS,
  MAX_INTERVAL_MS,
  MIN_INTERVAL_MS,
  type LiveViewsMessage,
} from './hub.js';
import { VideoRef } from '../video/video.graphql.js';
import { loadVideosByIds } from '../video/video.loaders.js';

const VideoViewsRef = builder.objectRef<LiveViewsMessage>('VideoViews').implement({
  description:
    "A video's live view count, as sent by `videoViewsUpdated`: at most one message per interval, carrying the latest committed count; the count never decreases.",
  fields: (t) => ({
    video: t.field({
      type: VideoRef,
      description:
        'The video. Its fields are as loaded when the subscription started, except `stats`, which holds the totals of this message.',
      resolve: async (message, _args, context) => {
        // Primed when subscribing: no query per message.
        const video = await VideoRef.getDataloader(context).load(message.tick.videoId);
        return { ...video, stats: message.tick.totals };
      },
    }),
    views: t.field({
      type: 'SafeInt',
      description: 'Lifetime views, across every platform, after the latest committed batch.',
      resolve: (message) => message.tick.views,
    }),
    delta: t.field({
      type: 'SafeInt',
      description:
        'Views gained since the previous message of this subscription; 0 in the first message.',
      resolve: (message) =>
        message.previousViews === null ? 0 : message.tick.views - message.previousViews,
    }),
    viewsPerMinute: t.float({
      description:
        'Views added during the last 60 seconds (a sliding window of one-second buckets), counted from the batches this server has seen since the video started being watched: it starts at 0 and is complete after one minute of watching.',
      resolve: (message) => message.tick.viewsPerMinute,
    }),
    at: t.field({
      type: 'DateTime',
      description:
        'When this count was committed (the latest batch included), or read, for the first message.',
      resolve: (message) => message.tick.at,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  videoViewsUpdated: t.withAuth({ scope: 'read:videos' }).field({
    type: VideoViewsRef,
    description: `The video's view count now, then its latest count at most once per \`minIntervalMs\` while it rises (bursts are coalesced; a slow client only ever gets the newest value). Needs \`read:videos\`.`,
    args: {
      videoId: t.arg.globalID({
        for: VideoRef,
        required: true,
        description: 'The video to watch.',
      }),
      minIntervalMs: t.arg.int({
        defaultValue: DEFAULT_INTERVAL_MS,
        description: `Least time between two updates, in milliseconds (${MIN_INTERVAL_MS}–${MAX_INTERVAL_MS}).`,
      }),
    },
    subscribe: async (_root, { videoId, minIntervalMs }, context) => {
      const interval = minIntervalMs ?? DEFAULT_INTERVAL_MS;
      if (interval < MIN_INTERVAL_MS || interval > MAX_INTERVAL_MS) {
        throw badUserInput(
          `minIntervalMs must be between ${MIN_INTERVAL_MS} and ${MAX_INTERVAL_MS}.`,
          { argumentName: 'minIntervalMs' },
        );
      }
      // Join the hub before reading, so no batch committed in between is missed; the hub drops
      // whichever of the two values is older.
      const subscription = context.liveHub.watch(videoId.id, { minIntervalMs: interval });
      try {
        const [video] = await loadVideosByIds(context.db, context.viewer.user.id, [videoId.id]);
        if (!video) throw notFound('Video');
        VideoRef.getDataloader(context).prime(video.id, video);
        subscription.seed(video.stats, new Date());
        return subscription;
      } catch (error) {
        subscription.close();
        throw error;
      }
    },
    resolve: (message) => message,
  }),
}));

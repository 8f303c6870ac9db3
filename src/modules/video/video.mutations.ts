import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import { notFound } from '../../errors.js';
import { listenNow } from '../../lib/listen.js';
import { untilAborted } from '../../lib/until-aborted.js';
import { PlatformEnum, UserErrorRef, payloadType } from '../common/common.graphql.js';
import { withoutUndefined } from '../common/input.js';
import type { MutationResult } from '../common/user-error.js';
import { VideoRef } from './video.graphql.js';
import { loadVideosByIds } from './video.loaders.js';
import { createVideo, deleteVideo, publishVideo, updateVideo } from './video.service.js';

const CreateVideoInput = builder.inputType('CreateVideoInput', {
  description: 'A new video; it starts as a DRAFT.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Title, 1–200 characters.' }),
    description: t.string({ description: 'Description, at most 5000 characters.' }),
    url: t.field({ type: 'URL', description: 'Source media URL (http or https).' }),
    thumbnailUrl: t.field({ type: 'URL', description: 'Thumbnail image URL (http or https).' }),
    durationSeconds: t.int({ description: 'Length in seconds (0 – 7 days).' }),
    tags: t.stringList({ description: 'Up to 30 tags of 1–50 characters; stored lower-case.' }),
  }),
});

const UpdateVideoInput = builder.inputType('UpdateVideoInput', {
  description: 'Fields to change; omitted fields stay, null clears an optional field.',
  fields: (t) => ({
    id: t.globalID({ for: VideoRef, required: true, description: 'The video to change.' }),
    title: t.string({ description: 'Title, 1–200 characters.' }),
    description: t.string({ description: 'Description, at most 5000 characters.' }),
    url: t.field({ type: 'URL', description: 'Source media URL; null clears it.' }),
    thumbnailUrl: t.field({ type: 'URL', description: 'Thumbnail image URL; null clears it.' }),
    durationSeconds: t.int({ description: 'Length in seconds; null clears it.' }),
    tags: t.stringList({ description: 'Replaces all tags.' }),
  }),
});

const DeleteVideoInput = builder.inputType('DeleteVideoInput', {
  description: 'The video to delete, with its publications and metrics.',
  fields: (t) => ({
    id: t.globalID({ for: VideoRef, required: true, description: 'The video to delete.' }),
  }),
});

const PublishVideoInput = builder.inputType('PublishVideoInput', {
  description: 'Where to publish a video.',
  fields: (t) => ({
    id: t.globalID({ for: VideoRef, required: true, description: 'The video to publish.' }),
    platforms: t.field({
      type: [PlatformEnum],
      required: true,
      description:
        'Platforms to publish on; you need a channel on each. Already-published ones are kept.',
    }),
  }),
});

const VideoPayload = (name: string, description: string) =>
  payloadType(name, 'video', VideoRef, description);
const CreateVideoPayload = VideoPayload('CreateVideoPayload', 'Result of createVideo.');
const UpdateVideoPayload = VideoPayload('UpdateVideoPayload', 'Result of updateVideo.');
const PublishVideoPayload = VideoPayload('PublishVideoPayload', 'Result of publishVideo.');

const DeleteVideoPayload = builder
  .objectRef<MutationResult<string>>('DeleteVideoPayload')
  .implement({
    description: 'Result of deleteVideo.',
    fields: (t) => ({
      deletedVideoId: t.id({
        nullable: true,
        description: 'Global ID of the deleted video; null when nothing was deleted.',
        resolve: (result) => (result.ok ? encodeGlobalID('Video', result.value) : null),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why nothing was deleted; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

const asString = (url: URL | null | undefined) => (url == null ? url : url.toString());

builder.mutationFields((t) => ({
  createVideo: t.withAuth({ scope: 'write:videos' }).field({
    type: CreateVideoPayload,
    description: 'Creates a draft video. Needs `write:videos`.',
    args: {
      input: t.arg({ type: CreateVideoInput, required: true, description: 'The new video.' }),
    },
    resolve: (_root, { input }, context) =>
      createVideo(context.db, context.viewer.user.id, {
        title: input.title,
        description: input.description ?? undefined,
        url: asString(input.url) ?? undefined,
        thumbnailUrl: asString(input.thumbnailUrl) ?? undefined,
        durationSeconds: input.durationSeconds ?? undefined,
        tags: input.tags ?? undefined,
      }),
  }),
  updateVideo: t.withAuth({ scope: 'write:videos' }).field({
    type: UpdateVideoPayload,
    description: 'Changes a video. Needs `write:videos`.',
    args: {
      input: t.arg({ type: UpdateVideoInput, required: true, description: 'What to change.' }),
    },
    resolve: async (_root, { input }, context) => {
      const { id, url, thumbnailUrl, ...rest } = input;
      const changes = withoutUndefined({
        ...rest,
        url: asString(url),
        thumbnailUrl: asString(thumbnailUrl),
      });
      return updateVideo(context.db, context.pubsub, context.viewer.user.id, id.id, changes);
    },
  }),
  deleteVideo: t.withAuth({ scope: 'write:videos' }).field({
    type: DeleteVideoPayload,
    description: 'Deletes a video with its publications and metrics. Needs `write:videos`.',
    args: {
      input: t.arg({ type: DeleteVideoInput, required: true, description: 'The video to delete.' }),
    },
    resolve: (_root, { input }, context) =>
      deleteVideo(context.db, context.pubsub, context.viewer.user.id, input.id.id),
  }),
  publishVideo: t.withAuth({ scope: 'write:videos' }).field({
    type: PublishVideoPayload,
    description: 'Publishes a video on platforms where you have a channel. Needs `write:videos`.',
    args: {
      input: t.arg({ type: PublishVideoInput, required: true, description: 'Where to publish.' }),
    },
    resolve: (_root, { input }, context) =>
      publishVideo(
        context.db,
        context.viewer.user.id,
        input.id.id,
        { platforms: input.platforms },
        context.pubsub,
      ),
  }),
}));

builder.subscriptionFields((t) => ({
  videoUpdated: t.withAuth({ scope: 'read:videos' }).field({
    type: VideoRef,
    description:
      'The video now, then again each time it changes (edit, publish, status); completes when it is deleted. Needs `read:videos`.',
    args: {
      id: t.arg.globalID({ for: VideoRef, required: true, description: 'The video to watch.' }),
    },
    subscribe: async (_root, { id }, context) => {
      // Listen before reading, so a change between the read and the first event is not missed.
      const changes = listenNow([context.pubsub.subscribe('video:changed', id.id)]);
      const [video] = await loadVideosByIds(context.db, context.viewer.user.id, [id.id]);
      if (!video) {
        await changes.return?.();
        throw notFound('Video');
      }
      return (async function* () {
        yield { videoId: id.id, deleted: false };
        for await (const change of untilAborted(changes, context.shutdownSignal)) {
          if (change.deleted) return;
          yield change;
        }
      })();
    },
    resolve: (change, _args, context) => {
      // One context serves the whole subscription: drop cached rows so each event is fresh.
      clearAllDataLoaders(context);
      return change.videoId;
    },
  }),
}));

import type { ArgBuilder } from '@pothos/core';
import { signedIn } from '../auth/viewer.js';
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { ChannelRef } from '../channel/channel.graphql.js';
import {
  MetricTotalsRef,
  PlatformEnum,
  SortDirectionEnum,
  VideoStatusEnum,
} from '../common/common.graphql.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import { UserRef } from '../user/user.graphql.js';
import {
  loadPublicationsByIds,
  loadPublicationsByVideoIds,
  loadVideosByIds,
  type PublicationWithStats,
  type VideoWithStats,
} from './video.loaders.js';
import {
  countVideos,
  listVideos,
  videoOrderKeyType,
  type VideoFilter,
  type VideoListRow,
  type VideoOrderField,
} from './video.service.js';

export const VideoRef = builder.loadableNodeRef('Video', {
  id: { resolve: (video: VideoWithStats) => video.id },
  sort: (video) => video.id,
  load: (ids: string[], context: Context) =>
    loadVideosByIds(context.db, signedIn(context).user.id, ids),
});

export const PublicationRef = builder.loadableNodeRef('Publication', {
  id: { resolve: (publication: PublicationWithStats) => publication.id },
  sort: (publication) => publication.id,
  load: (ids: string[], context: Context) =>
    loadPublicationsByIds(context.db, signedIn(context).user.id, ids),
});

PublicationRef.implement({
  description: 'A video as published on one platform. Needs `read:videos`.',
  authScopes: { scope: 'read:videos' },
  fields: (t) => ({
    platform: t.expose('platform', { type: PlatformEnum, description: 'Where it is published.' }),
    platformPostId: t.exposeString('platformPostId', {
      nullable: true,
      description: "The platform's id for the post; null until the platform has assigned one.",
    }),
    url: t.expose('url', {
      type: 'URL',
      nullable: true,
      description: 'Public URL of the post; null until known.',
    }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      description: 'When it went live there.',
    }),
    stats: t.expose('stats', {
      type: MetricTotalsRef,
      description: 'Lifetime totals on this platform.',
    }),
    video: t.field({
      type: VideoRef,
      description: 'The published video.',
      resolve: (publication) => publication.videoId,
    }),
    channel: t.field({
      type: ChannelRef,
      description: 'The account it was published on.',
      resolve: (publication) => publication.channelId,
    }),
  }),
});

VideoRef.implement({
  description: 'A piece of content, published on one or more platforms. Needs `read:videos`.',
  authScopes: { scope: 'read:videos' },
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title, 1–200 characters.' }),
    description: t.exposeString('description', { description: 'Description; may be empty.' }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Source media URL.' }),
    thumbnailUrl: t.expose('thumbnailUrl', {
      type: 'URL',
      nullable: true,
      description: 'Thumbnail image URL.',
    }),
    durationSeconds: t.exposeInt('durationSeconds', {
      nullable: true,
      description: 'Length in seconds; null when unknown.',
    }),
    tags: t.exposeStringList('tags', { description: 'Lower-case tags.' }),
    status: t.expose('status', { type: VideoStatusEnum, description: 'Lifecycle state.' }),
    processingProgress: t.exposeInt('processingProgress', {
      description: 'Processing progress, 0–100.',
    }),
    owner: t.field({
      type: UserRef,
      description: 'Who owns it.',
      resolve: (video) => video.ownerId,
    }),
    publications: t.loadableList({
      type: PublicationRef,
      description: 'Where it is published, by platform.',
      load: (videoIds: string[], context) =>
        loadPublicationsByVideoIds(context.db, signedIn(context).user.id, videoIds),
      resolve: (video) => video.id,
    }),
    stats: t.expose('stats', {
      type: MetricTotalsRef,
      description: 'Lifetime totals, summed over its publications.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was first published; null while unpublished.',
    }),
  }),
});

const VideoOrderFieldEnum = builder.enumType('VideoOrderField', {
  description: 'What to sort videos by. Ties are broken by id, so pages are stable.',
  values: {
    PUBLISHED_AT: {
      description: 'First publication time; unpublished videos count as the oldest.',
    },
    CREATED_AT: { description: 'Creation time.' },
    VIEWS: { description: 'Lifetime views.' },
    LIKES: { description: 'Lifetime likes.' },
    ENGAGEMENT_RATE: { description: 'Lifetime engagement rate.' },
    TITLE: { description: 'Title, alphabetically.' },
  } satisfies Record<VideoOrderField, unknown>,
});

const VideoOrderInput = builder.inputType('VideoOrder', {
  description: 'Sort order for videos.',
  fields: (t) => ({
    field: t.field({ type: VideoOrderFieldEnum, required: true, description: 'What to sort by.' }),
    direction: t.field({
      type: SortDirectionEnum,
      required: true,
      defaultValue: 'desc',
      description: 'Ascending or descending; default DESC.',
    }),
  }),
});

const VideoFilterInput = builder.inputType('VideoFilter', {
  description: 'Narrows a video list; every given condition must hold.',
  fields: (t) => ({
    platforms: t.field({
      type: [PlatformEnum],
      description: 'Published on at least one of these platforms.',
    }),
    status: t.field({ type: [VideoStatusEnum], description: 'In one of these states.' }),
    search: t.string({ description: 'Title contains this text (case-insensitive).' }),
    tags: t.stringList({ description: 'Has at least one of these tags.' }),
    publishedAfter: t.field({ type: 'DateTime', description: 'First published at or after.' }),
    publishedBefore: t.field({ type: 'DateTime', description: 'First published before.' }),
  }),
});

type VideoConnectionShape = { totalCount: () => Promise<number> };

const VideoConnection = builder.connectionObject({
  type: VideoRef,
  name: 'VideoConnection',
  description: 'A page of videos.',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many videos match the filter, across all pages.',
      resolve: (connection) => (connection as unknown as VideoConnectionShape).totalCount(),
    }),
  }),
});

const DEFAULT_ORDER = { field: 'PUBLISHED_AT', direction: 'desc' } as const;

interface VideoConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  filter?: VideoFilter | null;
  orderBy?: { field: VideoOrderField; direction: 'asc' | 'desc' } | null;
}

async function resolveVideoConnection(
  context: Context,
  ownerId: string,
  args: VideoConnectionArgs,
) {
  const orderBy = args.orderBy ?? DEFAULT_ORDER;
  const filter = args.filter ?? {};
  const order = `${orderBy.field}:${orderBy.direction}`;
  const { maxPageSize, defaultPageSize } = context.config.limits;
  const connection = await resolveCursorConnection(
    {
      args,
      defaultSize: defaultPageSize,
      maxSize: maxPageSize,
      toCursor: (video: VideoListRow) => encodeCursor({ order, key: video.sortKey, id: video.id }),
    },
    ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
      listVideos(context.db, ownerId, {
        filter,
        orderBy,
        after: decodeCursor(after, order, videoOrderKeyType(orderBy.field)),
        before: decodeCursor(before, order, videoOrderKeyType(orderBy.field)),
        limit,
        inverted,
      }),
  );
  return { ...connection, totalCount: () => countVideos(context.db, ownerId, filter) };
}

const videoListArgs = (arg: ArgBuilder<typeof builder.$inferSchemaTypes>) => ({
  filter: arg({ type: VideoFilterInput, description: 'Which videos to include.' }),
  orderBy: arg({ type: VideoOrderInput, description: 'Sort order; default PUBLISHED_AT DESC.' }),
});

builder.queryFields((t) => ({
  videos: t.connection(
    {
      type: VideoRef,
      description: `Your videos, newest first by default. \`first\`/\`last\` accept 1–100 (default 20). Needs \`read:videos\`.`,
      authScopes: { scope: 'read:videos' },
      args: videoListArgs(t.arg),
      resolve: (_root, args, context) =>
        resolveVideoConnection(context, signedIn(context).user.id, args),
    },
    VideoConnection,
  ),
  video: t.withAuth({ scope: 'read:videos' }).field({
    type: VideoRef,
    nullable: true,
    description:
      'A video by global ID; null when it does not exist or is not yours. Needs `read:videos`.',
    args: {
      id: t.arg.globalID({ for: VideoRef, required: true, description: 'Global ID of the video.' }),
    },
    resolve: (_root, args) => args.id.id,
  }),
}));

builder.objectField(UserRef, 'videos', (t) =>
  t.connection(
    {
      type: VideoRef,
      description: `The user's videos; same arguments as Query.videos. Needs \`read:videos\`.`,
      authScopes: { scope: 'read:videos' },
      args: videoListArgs(t.arg),
      resolve: (user, args, context) => resolveVideoConnection(context, user.id, args),
    },
    VideoConnection,
  ),
);

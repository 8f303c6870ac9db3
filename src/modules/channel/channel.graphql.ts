import { builder } from '../../builder.js';
import { signedIn } from '../auth/viewer.js';
import type { Channel } from '../../db/schema.js';
import { PlatformEnum } from '../common/common.graphql.js';
import { UserRef } from '../user/user.graphql.js';
import { loadChannelsByIds, loadChannelsByOwnerIds } from './channel.loaders.js';

export const ChannelRef = builder.loadableNode(builder.objectRef<Channel>('Channel'), {
  description:
    'An account on one platform (a YouTube channel, a TikTok account, …). Needs `read:videos`.',
  authScopes: { scope: 'read:videos' },
  id: { resolve: (channel) => channel.id },
  sort: (channel) => channel.id,
  load: (ids: string[], context) => loadChannelsByIds(context.db, signedIn(context).user.id, ids),
  fields: (t) => ({
    platform: t.expose('platform', { type: PlatformEnum, description: 'Platform of the account.' }),
    handle: t.exposeString('handle', { description: 'Public handle, e.g. @pulse.' }),
    externalId: t.exposeString('externalId', {
      description: "The platform's own id for the account.",
    }),
    name: t.exposeString('name', { description: 'Display name on the platform.' }),
    followers: t.expose('followers', {
      type: 'SafeInt',
      description: 'Followers (subscribers) at the last sync.',
    }),
    owner: t.field({
      type: UserRef,
      description: 'Who owns the account.',
      resolve: (channel) => channel.ownerId,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was connected.' }),
  }),
});

builder.objectField(UserRef, 'channels', (t) =>
  t.withAuth({ scope: 'read:videos' }).loadableList({
    type: ChannelRef,
    description: 'Connected platform accounts, by platform. Needs `read:videos`.',
    load: (ownerIds: string[], context) => loadChannelsByOwnerIds(context.db, ownerIds),
    resolve: (user) => user.id,
  }),
);

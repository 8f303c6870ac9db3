import { builder } from '../../../builder.js';
import { UserErrorRef } from '../../common/common.graphql.js';
import type { MutationResult } from '../../common/user-error.js';
import { ChannelRef } from '../../channel/channel.graphql.js';
import { MAX_AUDIENCE_ENTRIES, recordChannelAudience } from './audience.service.js';

const AudienceEntryInput = builder.inputType('ChannelAudienceInput', {
  description: "One channel's audience on one day (a later write for the same day replaces it).",
  fields: (t) => ({
    channel: t.globalID({ for: ChannelRef, required: true, description: 'The channel.' }),
    date: t.field({
      type: 'LocalDate',
      description: "The day, in your account's time zone (default today; at most tomorrow).",
    }),
    followers: t.field({ type: 'SafeInt', required: true, description: 'Followers (≥ 0).' }),
    following: t.field({
      type: 'SafeInt',
      description: 'Accounts it follows (≥ 0; default: the latest earlier value).',
    }),
    posts: t.field({
      type: 'SafeInt',
      description: 'Posts published (≥ 0; default: the latest earlier value).',
    }),
  }),
});

const RecordChannelAudienceInput = builder.inputType('RecordChannelAudienceInput', {
  description: 'Daily audience snapshots of your channels.',
  fields: (t) => ({
    entries: t.field({
      type: [AudienceEntryInput],
      required: true,
      description: `Up to ${MAX_AUDIENCE_ENTRIES} snapshots.`,
    }),
  }),
});

const RecordChannelAudiencePayload = builder
  .objectRef<MutationResult<{ recorded: number }>>('RecordChannelAudiencePayload')
  .implement({
    description: 'How many snapshots were stored, or why none were.',
    fields: (t) => ({
      recorded: t.int({
        description: 'Snapshots stored (0 when refused).',
        resolve: (result) => (result.ok ? result.value.recorded : 0),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why the input was refused (nothing was stored); empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

builder.mutationFields((t) => ({
  recordChannelAudience: t.withAuth({ scope: 'write:metrics' }).field({
    type: RecordChannelAudiencePayload,
    description:
      "Stores daily audience snapshots (followers, following, posts) of your channels and moves each channel's `followers` to its newest snapshot; all or nothing. Needs `write:metrics`.",
    args: {
      input: t.arg({
        type: RecordChannelAudienceInput,
        required: true,
        description: 'The snapshots.',
      }),
    },
    resolve: (_root, { input }, context) =>
      recordChannelAudience(
        context.db,
        context.viewer.user,
        input.entries.map((entry) => ({
          channelId: entry.channel.id,
          date: entry.date ?? null,
          followers: entry.followers,
          following: entry.following ?? null,
          posts: entry.posts ?? null,
        })),
      ),
  }),
}));

import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import type { User, UserSettings } from '../../db/schema.js';
import { PlanEnum, payloadType } from '../common/common.graphql.js';
import { withoutNullish } from '../common/input.js';
import { updateProfile, updateSettings } from './user.service.js';

export const UserRef = builder.loadableNodeRef('User', {
  id: { resolve: (user: User) => user.id },
  sort: (user) => user.id,
  // Users see only themselves, and the viewer's row is already loaded by authentication.
  load: async (ids: string[], context: Context) =>
    context.viewer && ids.includes(context.viewer.user.id) ? [context.viewer.user] : [],
});

const ThemeEnum = builder.enumType('Theme', {
  description: 'Dashboard color theme.',
  values: {
    LIGHT: { value: 'light', description: 'Light theme.' },
    DARK: { value: 'dark', description: 'Dark theme.' },
    SYSTEM: { value: 'system', description: 'Follow the operating system.' },
  } as const,
});

const UserSettingsRef = builder.objectRef<UserSettings>('UserSettings').implement({
  description: 'Personal preferences.',
  fields: (t) => ({
    emailNotifications: t.exposeBoolean('emailNotifications', {
      description: 'Send notifications (spikes, finished exports) by email.',
    }),
    weeklyDigest: t.exposeBoolean('weeklyDigest', { description: 'Send a weekly summary email.' }),
    theme: t.expose('theme', { type: ThemeEnum, description: 'Dashboard color theme.' }),
  }),
});

UserRef.implement({
  description: 'A Pulse account. You can only see your own. Needs `read:user`.',
  authScopes: { scope: 'read:user' },
  fields: (t) => ({
    email: t.expose('email', { type: 'EmailAddress', description: 'Sign-in and contact email.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    plan: t.expose('plan', { type: PlanEnum, description: 'Subscription tier.' }),
    timezone: t.expose('timezone', {
      type: 'TimeZone',
      description: 'IANA time zone; analytics days and hours are computed in it by default.',
    }),
    settings: t.field({
      type: UserSettingsRef,
      description: 'Personal preferences.',
      resolve: (user) => user.settings,
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the account was created.',
    }),
  }),
});

builder.queryFields((t) => ({
  me: t.withAuth({ scope: 'read:user' }).field({
    type: UserRef,
    description: 'The account the credentials belong to. Needs `read:user`.',
    resolve: (_root, _args, context) => context.viewer.user,
  }),
  user: t.withAuth({ scope: 'read:user' }).field({
    type: UserRef,
    nullable: true,
    description: 'A user by global ID; null unless it is you. Needs `read:user`.',
    args: {
      id: t.arg.globalID({ for: UserRef, required: true, description: 'Global ID of the user.' }),
    },
    resolve: (_root, args) => args.id.id,
  }),
}));

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Profile fields to change; omitted fields stay as they are.',
  fields: (t) => ({
    name: t.string({ description: 'Display name, 1–100 characters.' }),
    email: t.field({
      type: 'EmailAddress',
      description: 'New email; must not be used by another account.',
    }),
    timezone: t.field({ type: 'TimeZone', description: 'IANA time zone, e.g. Europe/Paris.' }),
  }),
});

const UpdateSettingsInput = builder.inputType('UpdateSettingsInput', {
  description: 'Settings to change; omitted fields stay as they are.',
  fields: (t) => ({
    emailNotifications: t.boolean({ description: 'Send notifications by email.' }),
    weeklyDigest: t.boolean({ description: 'Send a weekly summary email.' }),
    theme: t.field({ type: ThemeEnum, description: 'Dashboard color theme.' }),
  }),
});

const UserPayload = (name: string, description: string) =>
  payloadType(name, 'user', UserRef, description);
const UpdateProfilePayload = UserPayload('UpdateProfilePayload', 'Result of updateProfile.');
const UpdateSettingsPayload = UserPayload('UpdateSettingsPayload', 'Result of updateSettings.');

builder.mutationFields((t) => ({
  updateProfile: t.withAuth({ scope: 'write:user' }).field({
    type: UpdateProfilePayload,
    description: 'Changes your name, email or time zone. Needs `write:user`.',
    args: {
      input: t.arg({ type: UpdateProfileInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, { input }, context) =>
      updateProfile(context.db, context.viewer.user.id, withoutNullish(input)),
  }),
  updateSettings: t.withAuth({ scope: 'write:user' }).field({
    type: UpdateSettingsPayload,
    description: 'Changes your preferences. Needs `write:user`.',
    args: {
      input: t.arg({ type: UpdateSettingsInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, { input }, context) =>
      updateSettings(context.db, context.viewer.user.id, withoutNullish(input)),
  }),
}));

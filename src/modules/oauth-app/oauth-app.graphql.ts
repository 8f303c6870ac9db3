import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import { signedIn } from '../auth/viewer.js';
import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { builder } from '../../builder.js';
import type { Context } from '../../context.js';
import { APP_CATEGORIES, APP_STATUSES, type AppInstall, type OAuthApp } from '../../db/schema.js';
import { isScope } from '../auth/scopes.js';
import { credentialManager } from '../auth/credential-rule.js';
import { ScopeEnum } from '../auth/scopes.graphql.js';
import { UserErrorRef, payloadType } from '../common/common.graphql.js';
import { withoutNullish } from '../common/input.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';
import type { MutationResult } from '../common/user-error.js';
import {
  countDirectory,
  deleteApp,
  listDirectory,
  listInstalls,
  listOwnApps,
  loadInstallCounts,
  loadVisibleAppsByIds,
  registerApp,
  uninstallApp,
  updateApp,
  type DirectoryFilter,
  type RegisteredApp,
} from './oauth-app.service.js';

const AppCategoryEnum = builder.enumType('AppCategory', {
  description: 'What an app does, for the directory.',
  values: Object.fromEntries(
    APP_CATEGORIES.map((category) => [
      category.toUpperCase(),
      { value: category, description: `${category.replace('_', ' ')} apps.` },
    ]),
  ) as Record<string, { value: (typeof APP_CATEGORIES)[number]; description: string }>,
});

const appStatusDescriptions: Record<(typeof APP_STATUSES)[number], string> = {
  pending: 'Waiting for an operator (`npm run cli -- app approve <clientId>`); cannot authorize.',
  approved: 'Listed in the directory; users can authorize it.',
  rejected: 'Refused by an operator; cannot authorize.',
};

const AppStatusEnum = builder.enumType('AppStatus', {
  description: 'Review state of an app.',
  values: Object.fromEntries(
    APP_STATUSES.map((status) => [
      status.toUpperCase(),
      { value: status, description: appStatusDescriptions[status] },
    ]),
  ) as Record<string, { value: (typeof APP_STATUSES)[number]; description: string }>,
});

export const AppRef = builder.loadableNodeRef('App', {
  id: { resolve: (app: OAuthApp) => app.id },
  sort: (app) => app.id,
  load: (ids: string[], context: Context) =>
    loadVisibleAppsByIds(context.db, signedIn(context).user.id, ids),
});

const isMine = (app: OAuthApp, context: Context) => app.ownerId === context.viewer?.user.id;

AppRef.implement({
  description:
    'A third-party app using OAuth 2.0 on behalf of Pulse users: yours, or an approved one from the directory. Needs `read:user`.',
  authScopes: { scope: 'read:user' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { description: 'What it does.' }),
    category: t.expose('category', { type: AppCategoryEnum, description: 'Directory category.' }),
    homepageUrl: t.expose('homepageUrl', {
      type: 'URL',
      nullable: true,
      description: 'Its website.',
    }),
    scopes: t.field({
      type: [ScopeEnum],
      description: 'The scopes it may request (it gets at most what each user grants).',
      resolve: (app) => app.scopes.filter(isScope),
    }),
    clientId: t.exposeString('clientId', {
      description: 'Its OAuth client_id (public; used in authorization requests).',
    }),
    status: t.expose('status', { type: AppStatusEnum, description: 'Review state.' }),
    installCount: t.loadable({
      type: 'Int',
      description: 'Users who currently have it installed.',
      load: (ids: string[], context: Context) => loadInstallCounts(context.db, ids),
      resolve: (app) => app.id,
    }),
    isMine: t.boolean({
      description: 'Whether you registered it.',
      resolve: (app, _args, context) => isMine(app, context),
    }),
    redirectUris: t.field({
      type: ['URL'],
      nullable: true,
      description: 'Where authorization responses may go; null unless the app is yours.',
      resolve: (app, _args, context) => (isMine(app, context) ? app.redirectUris : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
  }),
});

type InstallRow = { install: AppInstall; app: OAuthApp };

const AppInstallRef = builder.objectRef<InstallRow>('AppInstall').implement({
  description: 'An app you authorized, with what you granted it. Needs `read:user`.',
  authScopes: { scope: 'read:user' },
  fields: (t) => ({
    app: t.field({ type: AppRef, description: 'The app.', resolve: (row) => row.app }),
    scopes: t.field({
      type: [ScopeEnum],
      description: 'The scopes you granted it; its tokens never carry more.',
      resolve: (row) => row.install.scopes.filter(isScope),
    }),
    installedAt: t.field({
      type: 'DateTime',
      description: 'When you first authorized it (since the last uninstall).',
      resolve: (row) => row.install.createdAt,
    }),
  }),
});

type AppConnectionShape = { totalCount: () => Promise<number> };

const AppConnection = builder.connectionObject({
  type: AppRef,
  name: 'AppConnection',
  description: 'A page of apps.',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many apps match, across all pages.',
      resolve: (connection) => (connection as unknown as AppConnectionShape).totalCount(),
    }),
  }),
});

const DIRECTORY_ORDER = 'name:asc';

builder.queryFields((t) => ({
  myApps: t.withAuth({ scope: 'read:user' }).field({
    type: [AppRef],
    description: 'Apps you registered, newest first, in any review state. Needs `read:user`.',
    resolve: (_root, _args, context) => listOwnApps(context.db, context.viewer.user.id),
  }),
  appDirectory: t.connection(
    {
      type: AppRef,
      description:
        'Approved apps by name, with install counts. `first`/`last` accept 1–100 (default 20). Needs `read:user`.',
      authScopes: { scope: 'read:user' },
      args: {
        category: t.arg({ type: AppCategoryEnum, description: 'Only this category.' }),
        search: t.arg.string({ description: 'Name contains this text (case-insensitive).' }),
      },
      resolve: async (_root, args, context) => {
        const filter: DirectoryFilter = { category: args.category, search: args.search };
        const { maxPageSize, defaultPageSize } = context.config.limits;
        const connection = await resolveCursorConnection(
          {
            args,
            defaultSize: defaultPageSize,
            maxSize: maxPageSize,
            toCursor: (app: OAuthApp) =>
              encodeCursor({ order: DIRECTORY_ORDER, key: app.name, id: app.id }),
          },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) => {
            const afterKey = decodeCursor(after, DIRECTORY_ORDER);
            const beforeKey = decodeCursor(before, DIRECTORY_ORDER);
            return listDirectory(context.db, {
              filter,
              ...(afterKey ? { after: afterKey } : {}),
              ...(beforeKey ? { before: beforeKey } : {}),
              limit,
              inverted,
            });
          },
        );
        return { ...connection, totalCount: () => countDirectory(context.db, filter) };
      },
    },
    AppConnection,
  ),
  installedApps: t.withAuth({ scope: 'read:user' }).field({
    type: [AppInstallRef],
    description: 'Apps you authorized and have not uninstalled, newest first. Needs `read:user`.',
    resolve: (_root, _args, context) => listInstalls(context.db, context.viewer.user.id),
  }),
}));

const appFields = {
  name: 'Display name, 1–100 characters.',
  description: 'What it does, at most 1000 characters.',
  category: 'Directory category.',
  redirectUris:
    '1–10 exact redirect URIs: https, or http://localhost / http://127.0.0.1 for development.',
  scopes: 'The scopes it may request.',
  homepageUrl: 'Its website (https).',
};

const RegisterAppInput = builder.inputType('RegisterAppInput', {
  description: 'A new OAuth app; it stays PENDING until an operator approves it.',
  fields: (t) => ({
    name: t.string({ required: true, description: appFields.name }),
    description: t.string({ description: appFields.description }),
    category: t.field({ type: AppCategoryEnum, required: true, description: appFields.category }),
    redirectUris: t.stringList({ required: true, description: appFields.redirectUris }),
    scopes: t.field({ type: [ScopeEnum], required: true, description: appFields.scopes }),
    homepageUrl: t.string({ description: appFields.homepageUrl }),
  }),
});

const UpdateAppInput = builder.inputType('UpdateAppInput', {
  description: 'What to change on your app; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.globalID({ for: AppRef, required: true, description: 'The app.' }),
    name: t.string({ description: appFields.name }),
    description: t.string({ description: appFields.description }),
    category: t.field({ type: AppCategoryEnum, description: appFields.category }),
    redirectUris: t.stringList({ description: appFields.redirectUris }),
    scopes: t.field({ type: [ScopeEnum], description: appFields.scopes }),
    homepageUrl: t.string({ description: `${appFields.homepageUrl} Null removes it.` }),
  }),
});

const DeleteAppInput = builder.inputType('DeleteAppInput', {
  description: 'The app to delete.',
  fields: (t) => ({
    id: t.globalID({ for: AppRef, required: true, description: 'The app.' }),
  }),
});

const UninstallAppInput = builder.inputType('UninstallAppInput', {
  description: 'The app whose access to your account ends.',
  fields: (t) => ({
    appId: t.globalID({ for: AppRef, required: true, description: 'The app.' }),
  }),
});

const RegisterAppPayload = builder
  .objectRef<MutationResult<RegisteredApp>>('RegisterAppPayload')
  .implement({
    description: 'Result of registerApp.',
    fields: (t) => ({
      app: t.field({
        type: AppRef,
        nullable: true,
        description: 'The app (with its clientId); null when the input was refused.',
        resolve: (result) => (result.ok ? result.value.app : null),
      }),
      clientSecret: t.string({
        nullable: true,
        description:
          'The client secret (`pulse_cs_…`), shown only in this response: store it now. Null when refused.',
        resolve: (result) => (result.ok ? result.value.clientSecret : null),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why the input was refused; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

const UpdateAppPayload = payloadType('UpdateAppPayload', 'app', AppRef, 'Result of updateApp.');
const UninstallAppPayload = payloadType(
  'UninstallAppPayload',
  'app',
  AppRef,
  'Result of uninstallApp.',
);

const DeleteAppPayload = builder.objectRef<MutationResult<OAuthApp>>('DeleteAppPayload').implement({
  description: 'Result of deleteApp.',
  fields: (t) => ({
    deletedAppId: t.id({
      nullable: true,
      description: 'Global ID of the deleted app; null when nothing was deleted.',
      resolve: (result) => (result.ok ? encodeGlobalID('App', result.value.id) : null),
    }),
    userErrors: t.field({
      type: [UserErrorRef],
      description: 'Why nothing was deleted; empty on success.',
      resolve: (result) => (result.ok ? [] : result.errors),
    }),
  }),
});

builder.mutationFields((t) => ({
  registerApp: t.withAuth({ scope: 'manage:keys' }).field({
    type: RegisterAppPayload,
    description:
      'Registers an OAuth app; its client secret is in this response only. It starts PENDING until an operator approves it (approved at once in demo mode). Its scopes are at most those of the credentials you call with, never `manage:keys`. Needs `manage:keys`.',
    args: {
      input: t.arg({ type: RegisterAppInput, required: true, description: 'The new app.' }),
    },
    resolve: (_root, { input }, context) =>
      registerApp(
        context.db,
        credentialManager(context.viewer),
        {
          name: input.name,
          category: input.category,
          redirectUris: input.redirectUris,
          scopes: input.scopes,
          ...(input.description != null ? { description: input.description } : {}),
          ...(input.homepageUrl != null ? { homepageUrl: input.homepageUrl } : {}),
        },
        { autoApprove: context.config.demo.enabled },
      ),
  }),
  updateApp: t.withAuth({ scope: 'manage:keys' }).field({
    type: UpdateAppPayload,
    description:
      'Changes one of your apps whose scopes your credentials all hold (else INSUFFICIENT_SCOPE). Needs `manage:keys`.',
    args: {
      input: t.arg({ type: UpdateAppInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, { input }, context) => {
      const { id, homepageUrl, ...rest } = input;
      return updateApp(context.db, credentialManager(context.viewer), id.id, {
        ...(withoutNullish(rest) as object),
        ...(homepageUrl !== undefined ? { homepageUrl } : {}),
      });
    },
  }),
  deleteApp: t.withAuth({ scope: 'manage:keys' }).field({
    type: DeleteAppPayload,
    description:
      'Deletes one of your apps: every install, grant and token of it stops working. Only apps whose scopes your credentials all hold (else INSUFFICIENT_SCOPE). Needs `manage:keys`.',
    args: {
      input: t.arg({ type: DeleteAppInput, required: true, description: 'The app.' }),
    },
    resolve: async (_root, { input }, context) => {
      const result = await deleteApp(context.db, credentialManager(context.viewer), input.id.id);
      if (result.ok) context.auth.sessions.endOAuthClient(result.value.clientId);
      return result;
    },
  }),
  uninstallApp: t.withAuth({ scope: 'manage:keys' }).field({
    type: UninstallAppPayload,
    description:
      "Ends an app's access to your account: its grant, refresh and access tokens stop working at once. Only installs whose scopes your credentials all hold (else INSUFFICIENT_SCOPE). Needs `manage:keys`.",
    args: {
      input: t.arg({ type: UninstallAppInput, required: true, description: 'The app.' }),
    },
    resolve: async (_root, { input }, context) => {
      const manager = credentialManager(context.viewer);
      const result = await uninstallApp(context.db, manager, input.appId.id);
      if (result.ok) context.auth.sessions.endOAuthClient(result.value.clientId, manager.ownerId);
      return result;
    },
  }),
}));

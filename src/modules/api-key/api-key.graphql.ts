import { builder } from '../../builder.js';
import { signedIn } from '../auth/viewer.js';
import type { Context } from '../../context.js';
import type { ApiKey, Plan } from '../../db/schema.js';
import type { TierLimits } from '../../env.js';
import { apiKeyCredentialKey } from '../auth/credential.js';
import { isScope } from '../auth/scopes.js';
import { credentialManager } from '../auth/credential-rule.js';
import { ScopeEnum } from '../auth/scopes.graphql.js';
import { PlanEnum, UserErrorRef, payloadType } from '../common/common.graphql.js';
import type { MutationResult } from '../common/user-error.js';
import {
  apiKeyStatus,
  createApiKeyForOwner,
  listApiKeys,
  loadApiKeysByIds,
  revokeApiKey,
  rotateApiKey,
  setApiKeyDisabled,
  type CreatedApiKey,
} from './api-key.service.js';
import { MAX_API_KEYS } from '../limits/plan-limits.js';

export const ApiKeyRef = builder.loadableNodeRef('ApiKey', {
  id: { resolve: (apiKey: ApiKey) => apiKey.id },
  sort: (apiKey) => apiKey.id,
  load: (ids: string[], context: Context) =>
    loadApiKeysByIds(context.db, signedIn(context).user.id, ids),
});

const ApiKeyStatusEnum = builder.enumType('ApiKeyStatus', {
  description: 'Whether a key works.',
  values: {
    ACTIVE: { value: 'active', description: 'Works.' },
    DISABLED: {
      value: 'disabled',
      description: 'Refused (401) until enabled again; open streams were closed.',
    },
    REVOKED: { value: 'revoked', description: 'Refused for good; open streams were closed.' },
  } as const,
});

interface PlanLimitsShape {
  plan: Plan;
  tier: TierLimits;
}

const PlanLimitsRef = builder.objectRef<PlanLimitsShape>('PlanLimits').implement({
  description: 'What a plan allows an account; all its credentials share these budgets.',
  fields: (t) => ({
    plan: t.expose('plan', { type: PlanEnum, description: 'The plan.' }),
    requestsPerMinute: t.int({
      description: 'Operations per minute, for the whole account (all keys and apps together).',
      resolve: (limits) => limits.tier.perMinute,
    }),
    requestsPerDay: t.int({
      nullable: true,
      description: 'Operations per UTC day, for the whole account; null = no daily cap.',
      resolve: (limits) => limits.tier.perDay,
    }),
    maxQueryCost: t.int({
      description: 'Largest cost one operation may have.',
      resolve: (limits) => limits.tier.maxCost,
    }),
    maxApiKeys: t.int({
      nullable: true,
      description: 'Active and disabled API keys the account may hold; null = unlimited.',
      resolve: (limits) => MAX_API_KEYS[limits.plan],
    }),
  }),
});

ApiKeyRef.implement({
  description:
    'One of your API keys. The secret is never shown again after creation or rotation. Needs `read:user`.',
  authScopes: { scope: 'read:user' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Your label for it.' }),
    prefix: t.exposeString('prefix', {
      description: 'The public start of the key (`pulse_` + 12 characters), to recognise it.',
    }),
    scopes: t.field({
      type: [ScopeEnum],
      description: 'What the key may do.',
      resolve: (apiKey) => apiKey.scopes.filter(isScope),
    }),
    status: t.field({
      type: ApiKeyStatusEnum,
      description: 'Whether it works.',
      resolve: apiKeyStatus,
    }),
    limits: t.field({
      type: PlanLimitsRef,
      description: "The rate, cost and key limits of the owner's plan, which apply to this key.",
      resolve: (_apiKey, _args, context) => {
        const plan = signedIn(context).user.plan;
        return { plan, tier: context.config.protection.tiers[plan] };
      },
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Last successful use, to the minute; null if never used.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    rotatedAt: t.expose('rotatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When its secret was last replaced; null if never rotated.',
    }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'Until when the secret it had before the last rotation still works; null when it no longer does.',
      resolve: (apiKey) =>
        apiKey.previousHash &&
        apiKey.previousHashExpiresAt &&
        apiKey.previousHashExpiresAt.getTime() > Date.now()
          ? apiKey.previousHashExpiresAt
          : null,
    }),
    disabledAt: t.expose('disabledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was disabled; null unless DISABLED.',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked; null unless REVOKED.',
    }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.withAuth({ scope: 'read:user' }).field({
    type: [ApiKeyRef],
    description: 'Your API keys, newest first (never their secrets). Needs `read:user`.',
    args: {
      includeRevoked: t.arg.boolean({
        defaultValue: false,
        description: 'Also list revoked keys.',
      }),
    },
    resolve: (_root, args, context) =>
      listApiKeys(context.db, context.viewer.user.id, {
        includeRevoked: args.includeRevoked ?? false,
      }),
  }),
}));

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Your label for it, 1–100 characters.' }),
    scopes: t.field({
      type: [ScopeEnum],
      description:
        'What it may do: at most the scopes of the credentials you call with (the default).',
    }),
  }),
});

const ApiKeyIdInput = (name: string, what: string) =>
  builder.inputType(name, {
    description: `The key to ${what}.`,
    fields: (t) => ({
      id: t.globalID({ for: ApiKeyRef, required: true, description: 'Global ID of the key.' }),
    }),
  });

const RotateApiKeyInput = ApiKeyIdInput('RotateApiKeyInput', 'rotate');
const DisableApiKeyInput = ApiKeyIdInput('DisableApiKeyInput', 'disable');
const EnableApiKeyInput = ApiKeyIdInput('EnableApiKeyInput', 'enable');
const RevokeApiKeyInput = ApiKeyIdInput('RevokeApiKeyInput', 'revoke');

/** A payload that carries a new secret, shown only here. */
const secretPayload = (name: string, description: string) =>
  builder.objectRef<MutationResult<CreatedApiKey>>(name).implement({
    description,
    fields: (t) => ({
      apiKey: t.field({
        type: ApiKeyRef,
        nullable: true,
        description: 'The key; null when the input was refused (see userErrors).',
        resolve: (result) => (result.ok ? result.value.apiKey : null),
      }),
      secret: t.string({
        nullable: true,
        description:
          'The full key (`pulse_…`), shown only in this response: store it now. Null when refused.',
        resolve: (result) => (result.ok ? result.value.secret : null),
      }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Why the input was refused; empty on success.',
        resolve: (result) => (result.ok ? [] : result.errors),
      }),
    }),
  });

const CreateApiKeyPayload = secretPayload('CreateApiKeyPayload', 'Result of createApiKey.');
const RotateApiKeyPayload = secretPayload('RotateApiKeyPayload', 'Result of rotateApiKey.');
const DisableApiKeyPayload = payloadType(
  'DisableApiKeyPayload',
  'apiKey',
  ApiKeyRef,
  'Result of disableApiKey.',
);
const EnableApiKeyPayload = payloadType(
  'EnableApiKeyPayload',
  'apiKey',
  ApiKeyRef,
  'Result of enableApiKey.',
);
const RevokeApiKeyPayload = payloadType(
  'RevokeApiKeyPayload',
  'apiKey',
  ApiKeyRef,
  'Result of revokeApiKey.',
);

const MANAGE_RULE =
  'Needs `manage:keys`, and only works on keys whose scopes your credentials all hold (else INSUFFICIENT_SCOPE).';

/** Ends the key's open WebSockets and SSE streams on this instance now (others: next sweep). */
function endStreams<T extends { id: string }>(context: Context, result: MutationResult<T>) {
  if (result.ok) {
    context.auth.sessions.endCredential(apiKeyCredentialKey(result.value.id));
  }
  return result;
}

builder.mutationFields((t) => ({
  createApiKey: t.withAuth({ scope: 'manage:keys' }).field({
    type: CreateApiKeyPayload,
    description:
      'Creates an API key; its secret is in this response only. Its scopes default to, and never exceed, those of the credentials you call with. Your plan caps how many keys you hold (LIMIT_REACHED). Needs `manage:keys`.',
    args: {
      input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The new key.' }),
    },
    resolve: (_root, { input }, context) => {
      const viewer = context.viewer;
      return createApiKeyForOwner(context.db, viewer.user, viewer.scopes, {
        name: input.name,
        ...(input.scopes ? { scopes: input.scopes } : {}),
      });
    },
  }),
  rotateApiKey: t.withAuth({ scope: 'manage:keys' }).field({
    type: RotateApiKeyPayload,
    description: `Gives a key a new secret (same prefix and settings). The old secret keeps working for a grace period (API_KEY_ROTATION_GRACE_HOURS, default 24 h), then fails, and so do streams opened with it. ${MANAGE_RULE}`,
    args: {
      input: t.arg({ type: RotateApiKeyInput, required: true, description: 'The key.' }),
    },
    resolve: (_root, { input }, context) =>
      rotateApiKey(
        context.db,
        credentialManager(context.viewer),
        input.id.id,
        context.config.auth.apiKeyRotationGraceMs,
      ),
  }),
  disableApiKey: t.withAuth({ scope: 'manage:keys' }).field({
    type: DisableApiKeyPayload,
    description: `Stops a key working until it is enabled again; its open WebSockets close with 4403 and SSE streams end. ${MANAGE_RULE}`,
    args: {
      input: t.arg({ type: DisableApiKeyInput, required: true, description: 'The key.' }),
    },
    resolve: async (_root, { input }, context) =>
      endStreams(
        context,
        await setApiKeyDisabled(context.db, credentialManager(context.viewer), input.id.id, true),
      ),
  }),
  enableApiKey: t.withAuth({ scope: 'manage:keys' }).field({
    type: EnableApiKeyPayload,
    description: `Lets a disabled key work again (not a revoked one). ${MANAGE_RULE}`,
    args: {
      input: t.arg({ type: EnableApiKeyInput, required: true, description: 'The key.' }),
    },
    resolve: (_root, { input }, context) =>
      setApiKeyDisabled(context.db, credentialManager(context.viewer), input.id.id, false),
  }),
  revokeApiKey: t.withAuth({ scope: 'manage:keys' }).field({
    type: RevokeApiKeyPayload,
    description: `Stops a key working for good; its open WebSockets close with 4403 and SSE streams end. ${MANAGE_RULE}`,
    args: {
      input: t.arg({ type: RevokeApiKeyInput, required: true, description: 'The key.' }),
    },
    resolve: async (_root, { input }, context) =>
      endStreams(
        context,
        await revokeApiKey(context.db, credentialManager(context.viewer), input.id.id),
      ),
  }),
}));

import { builder } from '../../builder.js';
import { badUserInput } from '../../errors.js';
import type { WindowState } from './rate-limit.js';
import { utcDay } from './rate-limit.js';
import { usageCredential } from './usage-recorder.js';
import { PlanEnum } from '../common/common.graphql.js';
import {
  rangeProblem,
  usageReport,
  type CredentialUsage,
  type UsageCounts,
  type UsageDay,
  type UsageReport,
} from './usage.service.js';

const DEFAULT_RANGE_DAYS = 30;

const UsageCountsRef = builder.objectRef<UsageCounts>('UsageCounts').implement({
  description: 'Operations, cost and refusals over a period.',
  fields: (t) => ({
    operations: t.exposeInt('operations', {
      description: 'Operations counted against the rate limit (refused ones included).',
    }),
    cost: t.exposeInt('cost', { description: 'Summed query cost of the operations that ran.' }),
    rejected: t.exposeInt('rejected', {
      description: 'Operations refused: rate limit, cost limit or persisted-documents policy.',
    }),
    rejectionRate: t.float({
      nullable: true,
      description: 'rejected / operations × 100, rounded to 2 decimals; null without operations.',
      resolve: (counts) =>
        counts.operations ? Math.round((counts.rejected / counts.operations) * 10_000) / 100 : null,
    }),
  }),
});

const UsageDayRef = builder.objectRef<UsageDay>('UsageDay').implement({
  description: 'Usage during one UTC day.',
  fields: (t) => ({
    day: t.expose('day', { type: 'LocalDate', description: 'The UTC date.' }),
    operations: t.exposeInt('operations', { description: 'Operations that day.' }),
    cost: t.exposeInt('cost', { description: 'Summed query cost that day.' }),
    rejected: t.exposeInt('rejected', { description: 'Operations refused that day.' }),
  }),
});

const UsageCredentialKindEnum = builder.enumType('UsageCredentialKind', {
  description: 'How the operations authenticated.',
  values: {
    API_KEY: { value: 'api_key', description: 'One of your API keys.' },
    OAUTH_APP: { value: 'oauth', description: 'An OAuth app acting for you.' },
  } as const,
});

const CredentialUsageRef = builder.objectRef<CredentialUsage>('CredentialUsage').implement({
  description: 'Usage through one credential: one of your API keys, or an app acting for you.',
  fields: (t) => ({
    credential: t.exposeString('credential', {
      description: 'Opaque identifier: `api_key:<key id>` or `oauth:<client id>`.',
    }),
    kind: t.expose('kind', { type: UsageCredentialKindEnum, description: 'Key or app.' }),
    name: t.exposeString('name', {
      nullable: true,
      description: "The key's or the app's name; null when it no longer exists.",
    }),
    prefix: t.exposeString('prefix', {
      nullable: true,
      description: "The API key's public prefix; null for apps.",
    }),
    totals: t.expose('totals', { type: UsageCountsRef, description: 'Over the whole range.' }),
    days: t.expose('days', {
      type: [UsageDayRef],
      description: 'Per UTC day of the range, zero-filled, oldest first.',
    }),
  }),
});

const QuotaWindowRef = builder.objectRef<WindowState>('QuotaWindow').implement({
  description: 'One rate-limit window of your account (all its keys and apps draw on it).',
  fields: (t) => ({
    limit: t.exposeInt('limit', { description: 'Operations allowed per window.' }),
    remaining: t.exposeInt('remaining', { description: 'Operations left in this window.' }),
    resetAt: t.field({
      type: 'DateTime',
      description: 'When the window starts again (UTC midnight for the daily quota).',
      resolve: (window) => new Date(Date.now() + window.resetSeconds * 1000),
    }),
  }),
});

interface Quota {
  plan: 'free' | 'pro' | 'enterprise';
  credential: string;
  costLimit: number;
  enforced: boolean;
  windows: WindowState[];
}

const QuotaRef = builder.objectRef<Quota>('Quota').implement({
  description:
    "Your account's limits and what is left of them: every API key and app acting for you shares one budget.",
  fields: (t) => ({
    plan: t.expose('plan', { type: PlanEnum, description: 'The tier the limits come from.' }),
    credential: t.exposeString('credential', {
      description: 'This credential, as in `CredentialUsage.credential`.',
    }),
    costLimit: t.exposeInt('costLimit', { description: 'Largest query cost per operation.' }),
    enforced: t.exposeBoolean('enforced', {
      description: 'Whether this server enforces rate limits (it does unless configured off).',
    }),
    perMinute: t.field({
      type: QuotaWindowRef,
      description: 'Operations per minute.',
      resolve: (quota) => quota.windows.find((window) => window.name === 'minute')!,
    }),
    perDay: t.field({
      type: QuotaWindowRef,
      nullable: true,
      description: 'Operations per UTC day; null when the plan has no daily cap.',
      resolve: (quota) => quota.windows.find((window) => window.name === 'day') ?? null,
    }),
  }),
});

type UsageResult = UsageReport & { quota: Quota };

const UsageRef = builder.objectRef<UsageResult>('Usage').implement({
  description: 'Your API usage per credential and per UTC day, and your current limits.',
  fields: (t) => ({
    from: t.expose('from', { type: 'LocalDate', description: 'First UTC date of the range.' }),
    to: t.expose('to', {
      type: 'LocalDate',
      description: 'Last UTC date of the range (included).',
    }),
    totals: t.expose('totals', { type: UsageCountsRef, description: 'Over all credentials.' }),
    days: t.expose('days', {
      type: [UsageDayRef],
      description: 'Per UTC day over all credentials, zero-filled, oldest first.',
    }),
    credentials: t.expose('credentials', {
      type: [CredentialUsageRef],
      description: 'Per credential that was used in the range, busiest first.',
    }),
    quota: t.expose('quota', {
      type: QuotaRef,
      description: 'The current limits and what is left.',
    }),
  }),
});

const UsageRangeInput = builder.inputType('UsageRangeInput', {
  description: 'UTC dates, both included; at most 366 days.',
  fields: (t) => ({
    from: t.field({ type: 'LocalDate', required: true, description: 'First UTC date.' }),
    to: t.field({ type: 'LocalDate', required: true, description: 'Last UTC date (included).' }),
  }),
});

builder.queryFields((t) => ({
  usage: t.withAuth({ scope: 'read:user' }).field({
    type: UsageRef,
    description:
      "Your API usage (operations, cost, refusals) per credential and per UTC day, with your account's limits (shared by all its credentials). Needs `read:user`.",
    args: {
      range: t.arg({
        type: UsageRangeInput,
        description: 'Which UTC days; default the last 30 days including today.',
      }),
    },
    resolve: async (_root, args, context) => {
      const viewer = context.viewer;
      const today = utcDay(Date.now());
      const from = args.range?.from ?? utcDay(Date.now() - (DEFAULT_RANGE_DAYS - 1) * 86_400_000);
      const to = args.range?.to ?? today;
      const problem = rangeProblem(from, to);
      if (problem) throw badUserInput(problem, { field: 'range' });
      // Counts are written every few seconds; include the ones still in memory.
      await context.limits.usage.flush();
      const [report, windows] = await Promise.all([
        usageReport(context.db, viewer.user.id, from, to),
        context.limits.quotaOf(viewer),
      ]);
      const plan = viewer.user.plan;
      return {
        ...report,
        quota: {
          plan,
          credential: usageCredential(viewer.credential),
          costLimit: context.limits.config.tiers[plan].maxCost,
          enforced: context.limits.config.rateLimit.enabled,
          windows,
        },
      };
    },
  }),
}));

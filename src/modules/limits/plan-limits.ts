import type { Plan } from '../../db/schema.js';

/**
 * Active and disabled API keys an account may hold at once, per plan (revoked ones don't count);
 * null = unlimited. Rate and cost limits per plan live with the other protection settings
 * (config.protection.tiers).
 */
export const MAX_API_KEYS: Readonly<Record<Plan, number | null>> = {
  free: 2,
  pro: 10,
  enterprise: null,
};

/** Standalone exports and report runs queued or running at once per account, per plan. */
export const MAX_CONCURRENT_EXPORTS: Readonly<Record<Plan, number>> = {
  free: 2,
  pro: 5,
  enterprise: 20,
};

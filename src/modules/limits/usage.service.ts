import { and, asc, between, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiKeyTable, oauthAppTable, usageDailyTable } from '../../db/schema.js';

export interface UsageCounts {
  operations: number;
  cost: number;
  rejected: number;
}

export interface UsageDay extends UsageCounts {
  /** UTC date, YYYY-MM-DD. */
  day: string;
}

export type UsageCredentialKind = 'api_key' | 'oauth';

export interface CredentialUsage {
  /** As stored: `api_key:<key id>` or `oauth:<client id>`. */
  credential: string;
  kind: UsageCredentialKind;
  /** The key's or the app's name; null when it has since been deleted. */
  name: string | null;
  /** The key's public prefix (API keys only). */
  prefix: string | null;
  totals: UsageCounts;
  days: UsageDay[];
}

export interface UsageReport {
  from: string;
  to: string;
  totals: UsageCounts;
  days: UsageDay[];
  credentials: CredentialUsage[];
}

/** The longest range one usage query may cover. */
export const MAX_USAGE_DAYS = 366;

const DAY_MS = 86_400_000;
const zero = (): UsageCounts => ({ operations: 0, cost: 0, rejected: 0 });
const add = (into: UsageCounts, row: UsageCounts) => {
  into.operations += row.operations;
  into.cost += row.cost;
  into.rejected += row.rejected;
};

/** Every UTC date from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Checks a requested range; returns a problem to report, or null. */
export function rangeProblem(from: string, to: string): string | null {
  if (from > to) return '`from` must not be after `to`.';
  if (daysBetween(from, to).length > MAX_USAGE_DAYS) {
    return `A usage range covers at most ${MAX_USAGE_DAYS} days.`;
  }
  return null;
}

/**
 * The owner's usage per credential and per UTC day, zero-filled over the range, with the names
 * of the keys and apps it came through. Only the owner's own rows are ever read.
 */
export async function usageReport(
  db: Db,
  ownerId: string,
  from: string,
  to: string,
): Promise<UsageReport> {
  const rows = await db
    .select()
    .from(usageDailyTable)
    .where(and(eq(usageDailyTable.ownerId, ownerId), between(usageDailyTable.day, from, to)))
    .orderBy(asc(usageDailyTable.day));
  const days = daysBetween(from, to);
  const perDay = new Map(days.map((day) => [day, zero()]));
  const perCredential = new Map<string, Map<string, UsageCounts>>();
  for (const row of rows) {
    add(perDay.get(row.day) ?? zero(), row);
    let byDay = perCredential.get(row.credential);
    if (!byDay) perCredential.set(row.credential, (byDay = new Map()));
    byDay.set(row.day, { operations: row.operations, cost: row.cost, rejected: row.rejected });
  }
  const labels = await credentialLabels(db, ownerId, [...perCredential.keys()]);
  const credentials = [...perCredential].map(([credential, byDay]): CredentialUsage => {
    const totals = zero();
    for (const counts of byDay.values()) add(totals, counts);
    const kind: UsageCredentialKind = credential.startsWith('oauth:') ? 'oauth' : 'api_key';
    return {
      credential,
      kind,
      name: labels.get(credential)?.name ?? null,
      prefix: labels.get(credential)?.prefix ?? null,
      totals,
      days: days.map((day) => ({ day, ...(byDay.get(day) ?? zero()) })),
    };
  });
  credentials.sort((a, b) => b.totals.operations - a.totals.operations);
  const totals = zero();
  for (const counts of perDay.values()) add(totals, counts);
  return {
    from,
    to,
    totals,
    days: days.map((day) => ({ day, ...perDay.get(day)! })),
    credentials,
  };
}

/** Names for the credentials: the owner's API keys, and the apps acting for the owner. */
async function credentialLabels(
  db: Db,
  ownerId: string,
  credentials: string[],
): Promise<Map<string, { name: string; prefix: string | null }>> {
  const labels = new Map<string, { name: string; prefix: string | null }>();
  const keyIds = credentials
    .filter((credential) => credential.startsWith('api_key:'))
    .map((credential) => credential.slice('api_key:'.length));
  const clientIds = credentials
    .filter((credential) => credential.startsWith('oauth:'))
    .map((credential) => credential.slice('oauth:'.length));
  const [keys, apps] = await Promise.all([
    keyIds.length
      ? db
          .select({ id: apiKeyTable.id, name: apiKeyTable.name, prefix: apiKeyTable.prefix })
          .from(apiKeyTable)
          .where(and(eq(apiKeyTable.ownerId, ownerId), inArray(apiKeyTable.id, keyIds)))
      : [],
    clientIds.length
      ? db
          .select({ clientId: oauthAppTable.clientId, name: oauthAppTable.name })
          .from(oauthAppTable)
          .where(inArray(oauthAppTable.clientId, clientIds))
      : [],
  ]);
  for (const key of keys) labels.set(`api_key:${key.id}`, { name: key.name, prefix: key.prefix });
  for (const app of apps) labels.set(`oauth:${app.clientId}`, { name: app.name, prefix: null });
  return labels;
}

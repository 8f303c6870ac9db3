import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiKeyTable, userTable, type ApiKey, type User } from '../../db/schema.js';
import { SCOPES, type Scope } from '../auth/scopes.js';
import { generateApiKey, hashesEqual, parseApiKey } from './api-key.token.js';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full key. Shown once; only its hash is stored. */
  secret: string;
}

export async function createApiKey(
  db: Db,
  input: { ownerId: string; name: string; scopes?: readonly Scope[]; secret?: string },
): Promise<CreatedApiKey> {
  const secret = input.secret ?? generateApiKey();
  const parsed = parseApiKey(secret);
  if (!parsed) throw new Error('createApiKey: the provided secret is not a well-formed API key');
  const [apiKey] = await db
    .insert(apiKeyTable)
    .values({
      ownerId: input.ownerId,
      name: input.name,
      prefix: parsed.prefix,
      hash: parsed.hash,
      scopes: [...(input.scopes ?? SCOPES)],
    })
    .returning();
  return { apiKey: apiKey!, secret };
}

/**
 * Resolves a presented key to its active row and owner. Malformed keys are rejected before any
 * SQL; the hash comparison is constant-time so timing does not reveal how much of a key matched.
 */
export async function findActiveApiKey(
  db: Db,
  presented: string,
): Promise<{ apiKey: ApiKey; user: User } | null> {
  const parsed = parseApiKey(presented);
  if (!parsed) return null;
  const [row] = await db
    .select({ apiKey: apiKeyTable, user: userTable })
    .from(apiKeyTable)
    .innerJoin(userTable, eq(userTable.id, apiKeyTable.ownerId))
    .where(and(eq(apiKeyTable.prefix, parsed.prefix), isNull(apiKeyTable.revokedAt)))
    .limit(1);
  if (!row || !hashesEqual(row.apiKey.hash, parsed.hash)) return null;
  return row;
}

const LAST_USED_PRECISION_MS = 60_000;

/** Records use at minute precision, so a busy key costs one write a minute, not one a request. */
export async function touchApiKey(db: Db, apiKey: ApiKey, now = new Date()): Promise<void> {
  if (apiKey.lastUsedAt && now.getTime() - apiKey.lastUsedAt.getTime() < LAST_USED_PRECISION_MS) {
    return;
  }
  const threshold = new Date(now.getTime() - LAST_USED_PRECISION_MS);
  await db
    .update(apiKeyTable)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeyTable.id, apiKey.id),
        or(isNull(apiKeyTable.lastUsedAt), lt(apiKeyTable.lastUsedAt, threshold)),
      ),
    );
}

/** Revokes every active key of the owner with this name (used to replace the demo key). */
export async function revokeApiKeysNamed(db: Db, ownerId: string, name: string): Promise<void> {
  await db
    .update(apiKeyTable)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(apiKeyTable.ownerId, ownerId),
        eq(apiKeyTable.name, name),
        isNull(apiKeyTable.revokedAt),
      ),
    );
}

import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { apiKeyTable, userTable, type ApiKey, type Plan, type User } from '../../db/schema.js';
import { strongerCredential, type CredentialManager } from '../auth/credential-rule.js';
import { SCOPES, scopesBeyond, type Scope } from '../auth/scopes.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';
import { generateApiKey, hashesEqual, parseApiKey } from './api-key.token.js';
import { MAX_API_KEYS } from '../limits/plan-limits.js';
import { emitWebhookEvent } from '../webhook/events.js';
import { apiKeyPayload } from '../webhook/payloads.js';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full key. Shown once; only its hash is stored. */
  secret: string;
}

export type ApiKeyStatus = 'active' | 'disabled' | 'revoked';

export const apiKeyStatus = (apiKey: ApiKey): ApiKeyStatus =>
  apiKey.revokedAt ? 'revoked' : apiKey.disabledAt ? 'disabled' : 'active';

/** Inserts a key as given (CLI, demo and tests); no plan limit or scope checks. */
export async function createApiKey(
  db: Db | Tx,
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

const createInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  scopes: z.array(z.enum(SCOPES)).min(1, 'must name at least one scope').optional(),
});

/**
 * Creates a key for the caller. The key's scopes default to, and can never exceed, those of the
 * credential creating it; the owner's plan caps how many unrevoked keys exist. The count and the
 * insert run under a lock on the owner's row so concurrent creations cannot overshoot the cap.
 */
export async function createApiKeyForOwner(
  db: Db,
  owner: { id: string; plan: Plan },
  grantable: ReadonlySet<Scope>,
  input: z.input<typeof createInput>,
): Promise<MutationResult<CreatedApiKey>> {
  const valid = validateInput(createInput, input);
  if (!valid.ok) return valid;
  const scopes = [...new Set(valid.value.scopes ?? [...grantable])];
  const beyond = scopesBeyond(grantable, scopes);
  if (beyond.length > 0) {
    return fail(
      userError(
        ['input', 'scopes'],
        'INVALID',
        `Your credentials lack ${beyond.join(', ')}; a key cannot have more scopes than the credentials creating it.`,
      ),
    );
  }
  if (scopes.length === 0) {
    return fail(userError(['input', 'scopes'], 'INVALID', 'must name at least one scope'));
  }
  const limit = MAX_API_KEYS[owner.plan];
  return db.transaction(async (tx) => {
    await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(eq(userTable.id, owner.id))
      .for('update');
    if (limit !== null) {
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(apiKeyTable)
        .where(and(eq(apiKeyTable.ownerId, owner.id), isNull(apiKeyTable.revokedAt)));
      if ((row?.count ?? 0) >= limit) {
        return fail<CreatedApiKey>(
          userError(
            [],
            'LIMIT_REACHED',
            `The ${owner.plan} plan allows ${limit} API keys (active or disabled); revoke one first.`,
          ),
        );
      }
    }
    return ok(await createApiKey(tx, { ownerId: owner.id, name: valid.value.name, scopes }));
  });
}

export interface FoundApiKey {
  apiKey: ApiKey;
  user: User;
  /** SHA-256 of the secret that was presented. */
  secretHash: string;
}

/** What decides whether a key accepts a secret (beyond being neither disabled nor revoked). */
export type KeySecrets = Pick<ApiKey, 'hash' | 'previousHash' | 'previousHashExpiresAt'>;

/**
 * Whether an active key accepts the secret with this hash now: its current secret, or the one
 * it had before its last rotation while that one's grace lasts. Every request and every open
 * stream is held to this one rule. Comparisons are constant-time.
 */
export function acceptsSecret(key: KeySecrets, hash: string, now: Date): boolean {
  if (hashesEqual(key.hash, hash)) return true;
  const { previousHash, previousHashExpiresAt } = key;
  return (
    previousHash !== null &&
    previousHashExpiresAt !== null &&
    previousHashExpiresAt.getTime() > now.getTime() &&
    hashesEqual(previousHash, hash)
  );
}

/**
 * Resolves a presented key to its active row and owner; disabled and revoked keys never match.
 * Deliberately uncached, so disabling or revoking takes effect on the next request on every
 * instance. Malformed keys are rejected before any SQL.
 */
export async function findActiveApiKey(
  db: Db,
  presented: string,
  now = new Date(),
): Promise<FoundApiKey | null> {
  const parsed = parseApiKey(presented);
  if (!parsed) return null;
  const [row] = await db
    .select({ apiKey: apiKeyTable, user: userTable })
    .from(apiKeyTable)
    .innerJoin(userTable, eq(userTable.id, apiKeyTable.ownerId))
    .where(
      and(
        eq(apiKeyTable.prefix, parsed.prefix),
        isNull(apiKeyTable.revokedAt),
        isNull(apiKeyTable.disabledAt),
      ),
    )
    .limit(1);
  if (!row || !acceptsSecret(row.apiKey, parsed.hash, now)) return null;
  return { ...row, secretHash: parsed.hash };
}

/** Of the given key ids, the ones still usable (neither disabled nor revoked), with their secrets' hashes. */
export async function usableApiKeys(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, KeySecrets>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: apiKeyTable.id,
      hash: apiKeyTable.hash,
      previousHash: apiKeyTable.previousHash,
      previousHashExpiresAt: apiKeyTable.previousHashExpiresAt,
    })
    .from(apiKeyTable)
    .where(
      and(
        inArray(apiKeyTable.id, [...ids]),
        isNull(apiKeyTable.revokedAt),
        isNull(apiKeyTable.disabledAt),
      ),
    );
  return new Map(rows.map(({ id, ...secrets }) => [id, secrets]));
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

/** The owner's keys, newest first; revoked ones only when asked for. */
export async function listApiKeys(
  db: Db,
  ownerId: string,
  options: { includeRevoked?: boolean } = {},
): Promise<ApiKey[]> {
  return db
    .select()
    .from(apiKeyTable)
    .where(
      and(
        eq(apiKeyTable.ownerId, ownerId),
        options.includeRevoked ? undefined : isNull(apiKeyTable.revokedAt),
      ),
    )
    .orderBy(desc(apiKeyTable.createdAt), desc(apiKeyTable.id));
}

/** Keys by id, restricted to the owner's. */
export async function loadApiKeysByIds(
  db: Db,
  ownerId: string,
  ids: readonly string[],
): Promise<ApiKey[]> {
  return db
    .select()
    .from(apiKeyTable)
    .where(and(inArray(apiKeyTable.id, [...ids]), eq(apiKeyTable.ownerId, ownerId)));
}

const notFound = <T>() =>
  fail<T>(userError(['input', 'id'], 'NOT_FOUND', 'No such API key (or it is not yours).'));
const alreadyRevoked = <T>() =>
  fail<T>(userError(['input', 'id'], 'INVALID_STATUS', 'This API key is revoked.'));

/**
 * The caller's key, if it may manage it: never one with scopes the caller's credential lacks
 * (rotating or re-enabling it would hand over a stronger secret). Key scopes never change after
 * creation, so the check cannot race with the update that follows.
 */
async function manageableKey(
  db: Db,
  manager: CredentialManager,
  id: string | null,
): Promise<MutationResult<ApiKey>> {
  if (!id) return notFound();
  const [apiKey] = await loadApiKeysByIds(db, manager.ownerId, [id]);
  if (!apiKey) return notFound();
  const stronger = strongerCredential(manager.scopes, apiKey.scopes, ['input', 'id'], 'API key');
  return stronger ? fail(stronger) : ok(apiKey);
}

/**
 * Gives the key a new secret with the same public prefix. The old secret keeps working for
 * `graceMs` (0: never again), so clients can switch over without downtime. The update is
 * conditional on the hash it replaces, so two concurrent rotations cannot both succeed. Queues an
 * `api_key.rotated` webhook in the same transaction.
 */
export async function rotateApiKey(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  graceMs: number,
  now = new Date(),
): Promise<MutationResult<CreatedApiKey>> {
  const found = await manageableKey(db, manager, id);
  if (!found.ok) return found;
  const apiKey = found.value;
  if (apiKey.revokedAt) return alreadyRevoked();
  const secret = generateApiKey(apiKey.prefix);
  const parsed = parseApiKey(secret)!;
  const rotated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeyTable)
      .set({
        hash: parsed.hash,
        previousHash: graceMs > 0 ? apiKey.hash : null,
        previousHashExpiresAt: graceMs > 0 ? new Date(now.getTime() + graceMs) : null,
        rotatedAt: now,
      })
      .where(
        and(
          eq(apiKeyTable.id, apiKey.id),
          eq(apiKeyTable.hash, apiKey.hash),
          isNull(apiKeyTable.revokedAt),
        ),
      )
      .returning();
    if (row) {
      await emitWebhookEvent(tx, {
        ownerId: row.ownerId,
        type: 'api_key.rotated',
        scope: 'read:user',
        occurredAt: now,
        data: {
          apiKey: apiKeyPayload(row),
          previousSecretExpiresAt: row.previousHashExpiresAt?.toISOString() ?? null,
        },
      });
    }
    return row;
  });
  if (!rotated) {
    return fail(
      userError(['input', 'id'], 'INVALID_STATUS', 'The key changed meanwhile; try again.'),
    );
  }
  return ok({ apiKey: rotated, secret });
}

/** Disables (reversibly) or re-enables a key; a revoked key stays revoked. */
export async function setApiKeyDisabled(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  disabled: boolean,
  now = new Date(),
): Promise<MutationResult<ApiKey>> {
  const found = await manageableKey(db, manager, id);
  if (!found.ok) return found;
  const apiKey = found.value;
  if (apiKey.revokedAt) return alreadyRevoked();
  const [updated] = await db
    .update(apiKeyTable)
    .set({ disabledAt: disabled ? (apiKey.disabledAt ?? now) : null })
    .where(and(eq(apiKeyTable.id, apiKey.id), isNull(apiKeyTable.revokedAt)))
    .returning();
  return updated ? ok(updated) : alreadyRevoked();
}

/**
 * Revokes a key for good (its row stays, for listings); revoking twice is harmless. The first
 * revocation queues an `api_key.revoked` webhook in the same transaction.
 */
export async function revokeApiKey(
  db: Db,
  manager: CredentialManager,
  id: string | null,
  now = new Date(),
): Promise<MutationResult<ApiKey>> {
  const found = await manageableKey(db, manager, id);
  if (!found.ok) return found;
  const apiKey = found.value;
  if (apiKey.revokedAt) return ok(apiKey);
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeyTable)
      .set({ revokedAt: now, previousHash: null, previousHashExpiresAt: null })
      .where(and(eq(apiKeyTable.id, apiKey.id), isNull(apiKeyTable.revokedAt)))
      .returning();
    if (!revoked) {
      const [current] = await tx.select().from(apiKeyTable).where(eq(apiKeyTable.id, apiKey.id));
      return ok(current!);
    }
    await emitWebhookEvent(tx, {
      ownerId: revoked.ownerId,
      type: 'api_key.revoked',
      scope: 'read:user',
      occurredAt: now,
      data: { apiKey: apiKeyPayload(revoked) },
    });
    return ok(revoked);
  });
}

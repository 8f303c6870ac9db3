import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { oauthStoreTable } from '../../../db/schema.js';

export interface ServerSecrets {
  /** The private signing key, with kid, alg and use. */
  signingKey: JsonWebKey & { kid: string; alg: string; use: 'sig' };
  /** The same key without its private members, for the JWKS. */
  publicKey: JsonWebKey & { kid: string; alg: string; use: 'sig' };
  /** Keys signing the provider's cookies. */
  cookieKeys: string[];
}

const PUBLIC_MEMBERS: Record<string, string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
};

/** RFC 7638 thumbprint: a kid that is stable for the key and the same on every instance. */
function thumbprint(jwk: JsonWebKey): string {
  const members = PUBLIC_MEMBERS[jwk.kty!]!;
  const canonical = JSON.stringify(
    Object.fromEntries([...members].sort().map((name) => [name, jwk[name as keyof JsonWebKey]])),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}

function complete(jwk: JsonWebKey): ServerSecrets['signingKey'] {
  const alg = jwk.kty === 'EC' ? 'ES256' : 'RS256';
  return { ...jwk, kid: (jwk as { kid?: string }).kid ?? thumbprint(jwk), alg, use: 'sig' };
}

function publicPart(key: ServerSecrets['signingKey']): ServerSecrets['publicKey'] {
  const members = PUBLIC_MEMBERS[key.kty!]!;
  return {
    ...(Object.fromEntries(
      members.map((name) => [name, key[name as keyof JsonWebKey]]),
    ) as JsonWebKey),
    kid: key.kid,
    alg: key.alg,
    use: 'sig',
  };
}

/**
 * Reads a server secret kept in oauth_store, creating it on first use. Creation is an insert that
 * does nothing when another instance got there first, followed by a read, so every instance ends
 * up with the same value.
 */
async function sharedSecret<T extends Record<string, unknown>>(
  db: Db,
  id: string,
  create: () => T,
): Promise<T> {
  const where = and(eq(oauthStoreTable.model, 'ServerSecret'), eq(oauthStoreTable.id, id));
  const read = async () =>
    (await db.select().from(oauthStoreTable).where(where).limit(1))[0]?.payload as T | undefined;
  const existing = await read();
  if (existing) return existing;
  await db
    .insert(oauthStoreTable)
    .values({ model: 'ServerSecret', id, payload: create() })
    .onConflictDoNothing();
  return (await read())!;
}

/**
 * The built-in server's signing key (OAUTH_SIGNING_KEY, or an RSA 2048 key generated at first
 * start and kept in the database) and its cookie keys (generated and kept likewise).
 */
export async function loadServerSecrets(
  db: Db,
  configured: JsonWebKey | undefined,
): Promise<ServerSecrets> {
  const signingKey = complete(
    configured ??
      (await sharedSecret(db, 'signing-key', () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
      })),
  );
  const { keys } = await sharedSecret(db, 'cookie-keys', () => ({
    keys: [randomBytes(32).toString('base64url')],
  }));
  return { signingKey, publicKey: publicPart(signingKey), cookieKeys: keys as string[] };
}

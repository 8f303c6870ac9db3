import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { userTable, type User } from '../../db/schema.js';
import { findUserByEmail } from '../user/user.service.js';

/** scrypt parameters (N=2^15, r=8, p=1: ~32 MiB, ~50–100 ms); stored with each hash. */
const PARAMS = { N: 32_768, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  const maxmem = 128 * (params.N ?? PARAMS.N) * (params.r ?? PARAMS.r) * 2;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// Verified against when the account does not exist or has no password, so the answer takes
// as long as a real check and timing does not reveal which accounts exist.
let decoy: Promise<string> | undefined;

/** The user with this email and password, or null (same time either way). */
export async function checkPassword(db: Db, email: string, password: string): Promise<User | null> {
  if (password.length > MAX_PASSWORD_LENGTH) return null;
  const user = await findUserByEmail(db, email);
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoy));
  return user?.passwordHash && matches ? user : null;
}

export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  await db
    .update(userTable)
    .set({ passwordHash: await hashPassword(password), updatedAt: new Date() })
    .where(eq(userTable.id, userId));
}

import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { PLANS, userTable, type User, type UserSettings } from '../../db/schema.js';
import { fail, ok, userError, validateInput, type MutationResult } from '../common/user-error.js';

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const email = z
  .email('must be an email address')
  .max(254)
  .transform((value) => value.toLowerCase());
const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const timezone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris');

const createUserInput = z.object({
  email,
  name,
  plan: z.enum(PLANS).default('free'),
  timezone: timezone.default('UTC'),
});

const updateProfileInput = z.object({
  name: name.optional(),
  email: email.optional(),
  timezone: timezone.optional(),
});

const updateSettingsInput = z.object({
  emailNotifications: z.boolean().optional(),
  weeklyDigest: z.boolean().optional(),
  theme: z.enum(['light', 'dark', 'system']).optional(),
});

const emailTaken = () =>
  fail<User>(userError(['input', 'email'], 'TAKEN', 'This email is already in use.'));

export async function createUser(
  db: Db,
  input: z.input<typeof createUserInput>,
): Promise<MutationResult<User>> {
  const valid = validateInput(createUserInput, input);
  if (!valid.ok) return valid;
  try {
    const [user] = await db.insert(userTable).values(valid.value).returning();
    return ok(user!);
  } catch (error) {
    if (isUniqueViolation(error)) return emailTaken();
    throw error;
  }
}

export async function findUserByEmail(db: Db, address: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(userTable)
    .where(eq(userTable.email, address.toLowerCase()))
    .limit(1);
  return user;
}

export async function updateProfile(
  db: Db,
  userId: string,
  input: z.input<typeof updateProfileInput>,
): Promise<MutationResult<User>> {
  const valid = validateInput(updateProfileInput, input);
  if (!valid.ok) return valid;
  try {
    const [user] = await db
      .update(userTable)
      .set({ ...valid.value, updatedAt: new Date() })
      .where(eq(userTable.id, userId))
      .returning();
    return ok(user!);
  } catch (error) {
    if (isUniqueViolation(error)) return emailTaken();
    throw error;
  }
}

/** Merges the given settings into the stored ones in SQL, so concurrent updates don't clobber. */
export async function updateSettings(
  db: Db,
  userId: string,
  input: Partial<UserSettings>,
): Promise<MutationResult<User>> {
  const valid = validateInput(updateSettingsInput, input);
  if (!valid.ok) return valid;
  const patch = Object.fromEntries(Object.entries(valid.value).filter(([, v]) => v !== undefined));
  const [user] = await db
    .update(userTable)
    .set({
      settings: sql`${userTable.settings} || ${JSON.stringify(patch)}::jsonb`,
      updatedAt: new Date(),
    })
    .where(eq(userTable.id, userId))
    .returning();
  return ok(user!);
}

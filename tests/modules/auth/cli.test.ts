import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { oauthAppTable, userTable } from '../../../src/db/schema.js';
import { checkPassword } from '../../../src/modules/auth/password.js';
import { SCOPES } from '../../../src/modules/auth/scopes.js';
import { registerApp } from '../../../src/modules/oauth-app/oauth-app.service.js';
import { createUser } from '../../../src/modules/user/user.service.js';
import { useCliDatabase } from '../../helpers/cli.js';

// The CLI is another process, so it needs a database it can open too.
const shared = useCliDatabase('pulse-auth-cli');
/** Runs the CLI with `stdin` piped in. */
const cli = (args: string[], stdin = '') => shared.cli(args, stdin);
const withDb = <T>(run: (database: Database) => Promise<T>) => shared.open(run, { migrate: true });

// Each command is a new process that boots tsx and opens the database: a few seconds each.
describe('npm run cli: passwords and app review', { timeout: 120_000 }, () => {
  it('user set-password reads the password from stdin and stores only an scrypt hash', async () => {
    await withDb(async ({ db }) => {
      await createUser(db, { email: 'ada@pulse.test', name: 'Ada' });
    });
    const short = await cli(['user', 'set-password', 'ada@pulse.test'], 'short\n');
    expect(short.code).toBe(2);
    const unknown = await cli(['user', 'set-password', 'nobody@pulse.test'], 'long enough pw\n');
    expect(unknown.code).toBe(2);
    const set = await cli(['user', 'set-password', 'ada@pulse.test'], 'a long enough password\n');
    expect(set.code).toBe(0);
    expect(set.stdout + set.stderr).not.toContain('a long enough password');
    await withDb(async ({ db }) => {
      const [user] = await db.select().from(userTable).where(eq(userTable.email, 'ada@pulse.test'));
      expect(user!.passwordHash).toMatch(/^scrypt\$/);
      expect(user!.passwordHash).not.toContain('a long enough password');
      expect(await checkPassword(db, 'ada@pulse.test', 'a long enough password')).toMatchObject({
        id: user!.id,
      });
      expect(await checkPassword(db, 'ada@pulse.test', 'a long enough passwor')).toBeNull();
    });
  });

  it('app list / approve / reject', async () => {
    const clientId = await withDb(async ({ db }) => {
      const [user] = await db.select().from(userTable).where(eq(userTable.email, 'ada@pulse.test'));
      const result = await registerApp(
        db,
        { ownerId: user!.id, scopes: new Set(SCOPES) },
        {
          name: 'Reviewed',
          category: 'other',
          redirectUris: ['https://reviewed.example/cb'],
          scopes: ['read:user'],
        },
        { autoApprove: false },
      );
      if (!result.ok) throw new Error('register failed');
      return result.value.app.clientId;
    });
    const pending = await cli(['app', 'list', '--status', 'pending']);
    expect(pending.stdout).toContain(clientId);
    const approved = await cli(['app', 'approve', clientId]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('approved');
    expect((await cli(['app', 'list', '--status', 'pending'])).stdout).not.toContain(clientId);
    const rejected = await cli(['app', 'reject', clientId]);
    expect(rejected.code).toBe(0);
    await withDb(async ({ db }) => {
      const [app] = await db
        .select()
        .from(oauthAppTable)
        .where(eq(oauthAppTable.clientId, clientId));
      expect(app!.status).toBe('rejected');
    });
    expect((await cli(['app', 'approve', 'app_nope'])).code).toBe(2);
  });
});

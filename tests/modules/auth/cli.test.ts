import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/client.js';
import { migrate } from '../../../src/db/migrate.js';
import { oauthAppTable, userTable } from '../../../src/db/schema.js';
import { loadConfig } from '../../../src/env.js';
import { checkPassword } from '../../../src/modules/auth/password.js';
import { SCOPES } from '../../../src/modules/auth/scopes.js';
import { registerApp } from '../../../src/modules/oauth-app/oauth-app.service.js';
import { createUser } from '../../../src/modules/user/user.service.js';
import { root } from '../../helpers/process.js';
import { createSharedDatabaseUrl } from '../../helpers/test-app.js';

let databaseUrl: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  // The CLI is another process, so it needs a database it can open too.
  ({ url: databaseUrl, drop: cleanup } = await createSharedDatabaseUrl('pulse-auth-cli'));
});
afterAll(() => cleanup());

/** Runs the CLI with `stdin` piped in. */
function cli(args: string[], stdin = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      DATABASE_URL: databaseUrl,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (output.stderr += String(chunk)));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ...output })),
  );
}

async function withDb<T>(run: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig({ DATABASE_URL: databaseUrl });
  const database = await openDatabase(config.database);
  try {
    await migrate(database, config.database);
    return await run(database);
  } finally {
    await database.close();
  }
}

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

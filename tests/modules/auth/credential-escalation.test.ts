import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyTable, appInstallTable, oauthAppTable } from '../../../src/db/schema.js';
import { createApiKey } from '../../../src/modules/api-key/api-key.service.js';
import { SCOPES, type Scope } from '../../../src/modules/auth/scopes.js';
import { recordInstall } from '../../../src/modules/oauth-app/oauth-app.service.js';
import { encodeId } from '../../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

/**
 * The credential rule (README, scopes): a caller may only create, rotate, re-enable, disable or
 * delete credentials and grants whose scopes are a subset of its own, and nothing it obtains
 * carries a scope it lacks.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ DEMO: 'false' });
});
afterAll(() => t.close());

const enumOf = (scope: Scope) => scope.replace(':', '_').toUpperCase();
const scopeOf = (value: string) => value.toLowerCase().replace('_', ':');

/** A user on the enterprise plan (no key cap) with a full key, and a key of `scopes` of theirs. */
async function ownerWith(scopes: Scope[]) {
  const owner = await t.createViewer({ plan: 'enterprise' });
  const narrow = await createApiKey(t.database.db, {
    ownerId: owner.userId,
    name: 'narrow',
    scopes,
  });
  return { ...owner, narrow: narrow.secret };
}

async function keyOf(ownerId: string, scopes: Scope[], name = 'target') {
  const { apiKey, secret } = await createApiKey(t.database.db, { ownerId, name, scopes });
  return { id: encodeId('ApiKey', apiKey.id), rowId: apiKey.id, secret };
}

async function row(rowId: string) {
  const [found] = await t.database.db.select().from(apiKeyTable).where(eq(apiKeyTable.id, rowId));
  return found!;
}

const MANAGE = {
  rotateApiKey: `mutation($id: ID!) { rotateApiKey(input: { id: $id }) { secret apiKey { scopes } userErrors { field code } } }`,
  enableApiKey: `mutation($id: ID!) { enableApiKey(input: { id: $id }) { apiKey { status } userErrors { field code } } }`,
  disableApiKey: `mutation($id: ID!) { disableApiKey(input: { id: $id }) { apiKey { status } userErrors { field code } } }`,
  revokeApiKey: `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { status } userErrors { field code } } }`,
} as const;

describe('AUTH-ESCALATE-01 key management needs manage:keys and stays within the caller’s scopes', () => {
  it('write:user alone cannot touch keys at all (key management has its own scope)', async () => {
    const owner = await ownerWith(SCOPES.filter((scope) => scope !== 'manage:keys'));
    const full = await keyOf(owner.userId, [...SCOPES]);
    for (const [name, query] of Object.entries(MANAGE)) {
      const response = await t.graphql(query, { key: owner.narrow, variables: { id: full.id } });
      expect(response.status, name).toBe(403);
      expect(response.body.errors![0]!.extensions).toMatchObject({
        code: 'INSUFFICIENT_SCOPE',
        scope: 'manage:keys',
      });
    }
    const created = await t.graphql('mutation { createApiKey(input: { name: "x" }) { secret } }', {
      key: owner.narrow,
    });
    expect(created.status).toBe(403);
  });

  it('a narrow manager cannot rotate, enable, disable or revoke a stronger key; the key is untouched', async () => {
    const owner = await ownerWith(['manage:keys', 'read:user', 'write:user']);
    const full = await keyOf(owner.userId, [...SCOPES]);
    await t.database.db
      .update(apiKeyTable)
      .set({ disabledAt: new Date() })
      .where(eq(apiKeyTable.id, full.rowId));
    const before = await row(full.rowId);
    for (const [name, query] of Object.entries(MANAGE)) {
      const response = await t.graphql(query, { key: owner.narrow, variables: { id: full.id } });
      expect(response.status, name).toBe(200);
      const payload = response.body.data[name];
      expect(payload.userErrors, name).toEqual([
        { field: ['input', 'id'], code: 'INSUFFICIENT_SCOPE' },
      ]);
      expect(payload.apiKey, name).toBeNull();
      if (name === 'rotateApiKey') expect(payload.secret).toBeNull();
    }
    const after = await row(full.rowId);
    expect(after).toEqual({ ...before, lastUsedAt: after.lastUsedAt });
    // Still disabled, and its secret still refused.
    expect((await t.graphql('{ me { id } }', { key: full.secret })).status).toBe(401);
  });

  it('a manager can manage keys no stronger than itself, including its own', async () => {
    const owner = await ownerWith(['manage:keys', 'read:user', 'read:videos']);
    const weaker = await keyOf(owner.userId, ['read:videos']);
    const rotated = await t.graphql(MANAGE.rotateApiKey, {
      key: owner.narrow,
      variables: { id: weaker.id },
    });
    expect(rotated.body.data.rotateApiKey.userErrors).toEqual([]);
    expect(rotated.body.data.rotateApiKey.secret).toMatch(/^pulse_/);
    expect(rotated.body.data.rotateApiKey.apiKey.scopes).toEqual(['READ_VIDEOS']);
    const disabled = await t.graphql(MANAGE.disableApiKey, {
      key: owner.narrow,
      variables: { id: weaker.id },
    });
    expect(disabled.body.data.disableApiKey.apiKey.status).toBe('DISABLED');
    const enabled = await t.graphql(MANAGE.enableApiKey, {
      key: owner.narrow,
      variables: { id: weaker.id },
    });
    expect(enabled.body.data.enableApiKey.apiKey.status).toBe('ACTIVE');
  });

  it('property: rotate and enable succeed exactly when the target’s scopes ⊆ the caller’s, and the secret never carries more', async () => {
    const owner = await t.createViewer({ plan: 'enterprise' });
    // Every caller can manage and read keys; the rest of its scopes vary.
    const base: Scope[] = ['manage:keys', 'read:user'];
    const subset = fc.subarray(SCOPES.filter((scope) => !base.includes(scope)));
    await fc.assert(
      fc.asyncProperty(subset, fc.subarray([...SCOPES], { minLength: 1 }), async (held, wanted) => {
        const callerScopes = new Set<string>([...base, ...held]);
        const caller = await keyOf(owner.userId, [...base, ...held], 'caller');
        const target = await keyOf(owner.userId, wanted);
        const allowed = wanted.every((scope) => callerScopes.has(scope));
        const rotated = await t.graphql(MANAGE.rotateApiKey, {
          key: caller.secret,
          variables: { id: target.id },
        });
        const payload = rotated.body.data.rotateApiKey;
        if (allowed) {
          expect(payload.userErrors).toEqual([]);
          const carried = (payload.apiKey.scopes as string[]).map(scopeOf);
          expect(carried.every((scope) => callerScopes.has(scope))).toBe(true);
          // The new secret works, with the target's scopes only.
          const me = await t.graphql('{ me { id } }', { key: payload.secret });
          expect(me.status).toBe(wanted.includes('read:user') ? 200 : 403);
        } else {
          expect(payload).toMatchObject({
            secret: null,
            userErrors: [{ code: 'INSUFFICIENT_SCOPE' }],
          });
          expect((await row(target.rowId)).rotatedAt).toBeNull();
        }
        const created = await t.graphql(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } userErrors { code } } }',
          {
            key: caller.secret,
            variables: { input: { name: 'made', scopes: wanted.map(enumOf) } },
          },
        );
        const made = created.body.data.createApiKey;
        expect(made.secret === null).toBe(!allowed);
        await t.database.db.delete(apiKeyTable).where(eq(apiKeyTable.ownerId, owner.userId));
      }),
      { numRuns: 25, seed: 1203 },
    );
  });
});

const REGISTER = `mutation($scopes: [Scope!]!) {
  registerApp(input: { name: "App", category: OTHER, redirectUris: ["https://app.example/cb"], scopes: $scopes }) {
    app { id scopes } clientSecret userErrors { field code }
  }
}`;

describe('AUTH-ESCALATE-02 OAuth apps and installs follow the same rule', () => {
  it('registerApp: scopes beyond the caller’s → INSUFFICIENT_SCOPE; manage:keys → INVALID; no secret either way', async () => {
    const owner = await ownerWith(['manage:keys', 'read:user']);
    const beyond = await t.graphql(REGISTER, {
      key: owner.narrow,
      variables: { scopes: ['READ_USER', 'WRITE_VIDEOS'] },
    });
    expect(beyond.body.data.registerApp).toMatchObject({
      app: null,
      clientSecret: null,
      userErrors: [{ field: ['input', 'scopes'], code: 'INSUFFICIENT_SCOPE' }],
    });
    const firstPartyOnly = await t.graphql(REGISTER, {
      key: owner.key,
      variables: { scopes: ['READ_USER', 'MANAGE_KEYS'] },
    });
    expect(firstPartyOnly.body.data.registerApp).toMatchObject({
      app: null,
      clientSecret: null,
      userErrors: [{ field: ['input', 'scopes'], code: 'INVALID' }],
    });
    const within = await t.graphql(REGISTER, {
      key: owner.narrow,
      variables: { scopes: ['READ_USER'] },
    });
    expect(within.body.data.registerApp.clientSecret).toMatch(/^pulse_cs_/);
    const rows = await t.database.db
      .select()
      .from(oauthAppTable)
      .where(eq(oauthAppTable.ownerId, owner.userId));
    expect(rows.map((app) => app.scopes)).toEqual([['read:user']]);
  });

  it('updateApp and deleteApp refuse a stronger app, and an update cannot raise an app past the caller', async () => {
    const owner = await ownerWith(['manage:keys', 'read:user']);
    const strong = await t.graphql(REGISTER, {
      key: owner.key,
      variables: { scopes: ['READ_USER', 'READ_ANALYTICS'] },
    });
    const strongId = strong.body.data.registerApp.app.id;
    const update = await t.graphql(
      'mutation($id: ID!) { updateApp(input: { id: $id, name: "Mine now" }) { app { id } userErrors { field code } } }',
      { key: owner.narrow, variables: { id: strongId } },
    );
    expect(update.body.data.updateApp).toEqual({
      app: null,
      userErrors: [{ field: ['input', 'id'], code: 'INSUFFICIENT_SCOPE' }],
    });
    const remove = await t.graphql(
      'mutation($id: ID!) { deleteApp(input: { id: $id }) { deletedAppId userErrors { code } } }',
      { key: owner.narrow, variables: { id: strongId } },
    );
    expect(remove.body.data.deleteApp).toEqual({
      deletedAppId: null,
      userErrors: [{ code: 'INSUFFICIENT_SCOPE' }],
    });

    const weak = await t.graphql(REGISTER, {
      key: owner.narrow,
      variables: { scopes: ['READ_USER'] },
    });
    const raise = await t.graphql(
      'mutation($id: ID!) { updateApp(input: { id: $id, scopes: [READ_USER, WRITE_METRICS] }) { app { scopes } userErrors { field code } } }',
      { key: owner.narrow, variables: { id: weak.body.data.registerApp.app.id } },
    );
    expect(raise.body.data.updateApp).toEqual({
      app: null,
      userErrors: [{ field: ['input', 'scopes'], code: 'INSUFFICIENT_SCOPE' }],
    });
    const apps = await t.database.db
      .select({ name: oauthAppTable.name, scopes: oauthAppTable.scopes })
      .from(oauthAppTable)
      .where(eq(oauthAppTable.ownerId, owner.userId));
    expect(apps.sort((a, b) => a.scopes.length - b.scopes.length)).toEqual([
      { name: 'App', scopes: ['read:user'] },
      { name: 'App', scopes: ['read:user', 'read:analytics'] },
    ]);
  });

  it('uninstallApp refuses an install stronger than the caller', async () => {
    const developer = await t.createViewer();
    const registered = await t.graphql(REGISTER, {
      key: developer.key,
      variables: { scopes: ['READ_USER', 'READ_VIDEOS'] },
    });
    const appId = registered.body.data.registerApp.app.id;
    const [app] = await t.database.db
      .select()
      .from(oauthAppTable)
      .where(eq(oauthAppTable.ownerId, developer.userId));
    const user = await ownerWith(['manage:keys', 'read:user']);
    await recordInstall(t.database.db, {
      appId: app!.id,
      userId: user.userId,
      scopes: ['read:user', 'read:videos'],
    });
    const refused = await t.graphql(
      'mutation($id: ID!) { uninstallApp(input: { appId: $id }) { app { id } userErrors { field code } } }',
      { key: user.narrow, variables: { id: appId } },
    );
    expect(refused.body.data.uninstallApp).toEqual({
      app: null,
      userErrors: [{ field: ['input', 'appId'], code: 'INSUFFICIENT_SCOPE' }],
    });
    const [install] = await t.database.db
      .select()
      .from(appInstallTable)
      .where(eq(appInstallTable.userId, user.userId));
    expect(install!.uninstalledAt).toBeNull();
    const allowed = await t.graphql(
      'mutation($id: ID!) { uninstallApp(input: { appId: $id }) { app { id } userErrors { code } } }',
      { key: user.key, variables: { id: appId } },
    );
    expect(allowed.body.data.uninstallApp).toEqual({ app: { id: appId }, userErrors: [] });
  });
});

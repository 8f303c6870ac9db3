import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyTable, oauthAppTable } from '../../../src/db/schema.js';
import { SCOPES, type Scope } from '../../../src/modules/auth/scopes.js';
import { setAppStatus } from '../../../src/modules/oauth-app/oauth-app.service.js';
import { countRows, encodeId } from '../../helpers/fixtures.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';

let t: TestApp;
let owner: TestViewer;
let keyId: string;
let appId: string;

const without = (scope: Scope) => SCOPES.filter((s) => s !== scope);

beforeAll(async () => {
  t = await startTestApp({ DEMO: 'false' });
  owner = await t.createViewer();
  const keys = await t.request(
    graphql(`
      query CredentialScopesKeys {
        apiKeys {
          id
        }
      }
    `),
    { key: owner.key },
  );
  keyId = keys.body.data!.apiKeys[0]!.id;
  const registered = await t.request(
    graphql(`
      mutation CredentialScopesRegisterApp {
        registerApp(
          input: {
            name: "A"
            category: OTHER
            redirectUris: ["https://a.example/cb"]
            scopes: [READ_USER]
          }
        ) {
          app {
            id
            clientId
          }
        }
      }
    `),
    { key: owner.key },
  );
  const app = registered.body.data!.registerApp.app!;
  appId = app.id;
  // Approved, so other users can see it (and must still need read:user to).
  await setAppStatus(t.database.db, app.clientId, 'approved');
});
afterAll(() => t.close());

const operations: { name: string; scope: Scope; query: string }[] = [
  { name: 'apiKeys', scope: 'read:user', query: '{ apiKeys { id } }' },
  { name: 'myApps', scope: 'read:user', query: '{ myApps { id } }' },
  { name: 'appDirectory', scope: 'read:user', query: '{ appDirectory(first: 1) { totalCount } }' },
  { name: 'installedApps', scope: 'read:user', query: '{ installedApps { scopes } }' },
  {
    name: 'createApiKey',
    scope: 'manage:keys',
    query: 'mutation { createApiKey(input: { name: "x" }) { secret } }',
  },
  {
    name: 'rotateApiKey',
    scope: 'manage:keys',
    query: 'mutation($key: ID!) { rotateApiKey(input: { id: $key }) { secret } }',
  },
  {
    name: 'disableApiKey',
    scope: 'manage:keys',
    query: 'mutation($key: ID!) { disableApiKey(input: { id: $key }) { userErrors { code } } }',
  },
  {
    name: 'enableApiKey',
    scope: 'manage:keys',
    query: 'mutation($key: ID!) { enableApiKey(input: { id: $key }) { userErrors { code } } }',
  },
  {
    name: 'revokeApiKey',
    scope: 'manage:keys',
    query: 'mutation($key: ID!) { revokeApiKey(input: { id: $key }) { userErrors { code } } }',
  },
  {
    name: 'registerApp',
    scope: 'manage:keys',
    query:
      'mutation { registerApp(input: { name: "B", category: OTHER, redirectUris: ["https://b.example/cb"], scopes: [READ_USER] }) { clientSecret } }',
  },
  {
    name: 'updateApp',
    scope: 'manage:keys',
    query:
      'mutation($app: ID!) { updateApp(input: { id: $app, name: "C" }) { userErrors { code } } }',
  },
  {
    name: 'deleteApp',
    scope: 'manage:keys',
    query: 'mutation($app: ID!) { deleteApp(input: { id: $app }) { deletedAppId } }',
  },
  {
    name: 'uninstallApp',
    scope: 'manage:keys',
    query: 'mutation($app: ID!) { uninstallApp(input: { appId: $app }) { userErrors { code } } }',
  },
];

describe('AUTH-SCOPE-02 credential management operations', () => {
  for (const operation of operations) {
    it(`${operation.name} needs ${operation.scope}; without it → 403, nothing changes`, async () => {
      const limited = await t.createViewer({ scopes: without(operation.scope) });
      const before = {
        keys: await countRows(t.database.db, 'api_keys'),
        apps: await countRows(t.database.db, 'oauth_apps'),
        key: JSON.stringify(await t.database.db.select().from(apiKeyTable)),
        app: JSON.stringify(await t.database.db.select().from(oauthAppTable)),
      };
      const variables = operation.query.includes('$key')
        ? { key: keyId }
        : operation.query.includes('$app')
          ? { app: appId }
          : undefined;
      const response = await t.graphql(operation.query, { key: limited.key, variables });
      expect(response.status).toBe(403);
      expect(response.body.errors![0]!.extensions).toMatchObject({
        code: 'INSUFFICIENT_SCOPE',
        scope: operation.scope,
      });
      expect(response.body.data ?? null).toBeNull();
      // Using a key updates its row, which can move it in a table scan: compare in id order.
      const withoutUse = (rows: { id: string; lastUsedAt: unknown }[]) =>
        JSON.stringify(
          rows.map(({ lastUsedAt: _, ...row }) => row).sort((a, b) => a.id.localeCompare(b.id)),
        );
      expect(await countRows(t.database.db, 'api_keys')).toBe(before.keys);
      expect(await countRows(t.database.db, 'oauth_apps')).toBe(before.apps);
      expect(withoutUse(await t.database.db.select().from(apiKeyTable))).toBe(
        withoutUse(JSON.parse(before.key)),
      );
      expect(JSON.stringify(await t.database.db.select().from(oauthAppTable))).toBe(before.app);
    });
  }

  it('nested fields: ApiKey and App objects need read:user wherever they appear', async () => {
    const writer = await t.createViewer({ scopes: without('read:user') });
    const [own] = await t.database.db
      .select()
      .from(apiKeyTable)
      .where(eq(apiKeyTable.ownerId, writer.userId));
    const node = await t.request(
      graphql(`
        query CredentialScopesKeyNode($id: ID!) {
          node(id: $id) {
            id
            ... on ApiKey {
              name
            }
          }
        }
      `),
      {
        key: writer.key,
        variables: { id: encodeId('ApiKey', own!.id) },
      },
    );
    expect(node.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:user',
    });
    // The mutation is allowed (manage:keys); reading the created key back is not.
    const created = await t.request(
      graphql(`
        mutation CredentialScopesCreateKey {
          createApiKey(input: { name: "w" }) {
            secret
            apiKey {
              name
            }
          }
        }
      `),
      { key: writer.key },
    );
    expect(created.body.data!.createApiKey.secret).toMatch(/^pulse_/);
    expect(created.body.data!.createApiKey.apiKey).toBeNull();
    expect(created.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'read:user',
    });
    const appNode = await t.request(
      graphql(`
        query CredentialScopesAppNode($id: ID!) {
          node(id: $id) {
            id
            ... on App {
              name
            }
          }
        }
      `),
      {
        key: writer.key,
        variables: { id: appId },
      },
    );
    expect(appNode.body.errors![0]!.extensions!.scope).toBe('read:user');
  });

  it('anonymous callers get 401 for every one of them', async () => {
    for (const operation of operations) {
      const response = await t.graphql(operation.query, {
        key: null,
        variables: { key: keyId, app: appId },
      });
      expect(response.status, operation.name).toBe(401);
    }
  });
});

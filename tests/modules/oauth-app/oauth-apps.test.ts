import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInstallTable, oauthAppTable } from '../../../src/db/schema.js';
import {
  hashClientSecret,
  recordInstall,
  setAppStatus,
} from '../../../src/modules/oauth-app/oauth-app.service.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';
import { graphql } from '../../gql/index.js';
import type { RegisterAppInput } from '../../gql/graphql.js';

let t: TestApp;
let alice: TestViewer;
let bob: TestViewer;

const Register = graphql(`
  mutation RegisterApp($input: RegisterAppInput!) {
    registerApp(input: $input) {
      app {
        id
        clientId
        name
        status
        isMine
        redirectUris
        scopes
        category
        homepageUrl
        installCount
      }
      clientSecret
      userErrors {
        field
        code
      }
    }
  }
`);
const Update = graphql(`
  mutation UpdateApp($input: UpdateAppInput!) {
    updateApp(input: $input) {
      app {
        id
        name
        description
        redirectUris
        scopes
        homepageUrl
      }
      userErrors {
        field
        code
      }
    }
  }
`);
const Delete = graphql(`
  mutation DeleteApp($id: ID!) {
    deleteApp(input: { id: $id }) {
      deletedAppId
      userErrors {
        code
      }
    }
  }
`);
const Directory = graphql(`
  query AppDirectory($first: Int, $after: String, $category: AppCategory, $search: String) {
    appDirectory(first: $first, after: $after, category: $category, search: $search) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          installCount
          isMine
          redirectUris
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
const Uninstall = graphql(`
  mutation UninstallApp($id: ID!) {
    uninstallApp(input: { appId: $id }) {
      app {
        id
      }
      userErrors {
        code
      }
    }
  }
`);

const input = (overrides: Partial<RegisterAppInput> = {}): RegisterAppInput => ({
  name: 'Scheduler',
  description: 'Posts at the best time.',
  category: 'PUBLISHING',
  redirectUris: ['https://scheduler.example/callback'],
  scopes: ['READ_USER', 'READ_VIDEOS'],
  homepageUrl: 'https://scheduler.example',
  ...overrides,
});

async function register(owner: TestViewer, overrides: Partial<RegisterAppInput> = {}) {
  const response = await t.request(Register, {
    key: owner.key,
    variables: { input: input(overrides) },
  });
  return response.body.data!.registerApp;
}

/** register(), for an app the test goes on with. */
async function registered(owner: TestViewer) {
  const { app } = await register(owner);
  return app!;
}

beforeAll(async () => {
  t = await startTestApp({ DEMO: 'false' });
  alice = await t.createViewer();
  bob = await t.createViewer();
});
afterAll(() => t.close());

describe('registerApp', () => {
  it('returns the client secret once, stores only its hash, and starts PENDING', async () => {
    const registration = await register(alice);
    const { userErrors } = registration;
    const [app, clientSecret] = [registration.app!, registration.clientSecret!];
    expect(userErrors).toEqual([]);
    expect(clientSecret).toMatch(/^pulse_cs_[A-Za-z0-9_-]{43}$/);
    expect(app).toMatchObject({
      name: 'Scheduler',
      status: 'PENDING',
      isMine: true,
      category: 'PUBLISHING',
      scopes: ['READ_USER', 'READ_VIDEOS'],
      redirectUris: ['https://scheduler.example/callback'],
      installCount: 0,
    });
    expect(app.clientId).toMatch(/^app_[0-9A-Za-z]{24}$/);
    const [row] = await t.database.db
      .select()
      .from(oauthAppTable)
      .where(eq(oauthAppTable.clientId, app.clientId));
    expect(row!.clientSecretHash).toBe(hashClientSecret(clientSecret));
    expect(JSON.stringify(row)).not.toContain(clientSecret);
    const mine = await t.request(
      graphql(`
        query MyAppIds {
          myApps {
            id
            clientId
          }
        }
      `),
      { key: alice.key },
    );
    expect(mine.body.data!.myApps).toContainEqual({ id: app.id, clientId: app.clientId });
    expect(JSON.stringify(mine.body)).not.toContain(clientSecret);
  });

  it('refuses unsafe redirect URIs and empty fields with per-field errors', async () => {
    const cases: [Partial<RegisterAppInput>, string][] = [
      [{ redirectUris: ['http://scheduler.example/cb'] }, 'input.redirectUris.0'],
      [{ redirectUris: ['https://scheduler.example/cb#frag'] }, 'input.redirectUris.0'],
      [{ redirectUris: ['javascript:alert(1)'] }, 'input.redirectUris.0'],
      [{ redirectUris: ['https://user:pw@scheduler.example/cb'] }, 'input.redirectUris.0'],
      [{ redirectUris: [] }, 'input.redirectUris'],
      [{ scopes: [] }, 'input.scopes'],
      [{ name: ' ' }, 'input.name'],
      [{ homepageUrl: 'ftp://scheduler.example' }, 'input.homepageUrl'],
    ];
    for (const [overrides, field] of cases) {
      const result = await register(alice, overrides);
      expect(result.app, field).toBeNull();
      expect(result.clientSecret, field).toBeNull();
      expect(
        result.userErrors.map((e) => e.field.join('.')),
        field,
      ).toContain(field);
    }
    const local = await register(alice, {
      redirectUris: ['http://localhost:3000/cb', 'http://127.0.0.1:8080/cb'],
    });
    expect(local.userErrors).toEqual([]);
  });
});

describe('updateApp and deleteApp', () => {
  it('changes only the given fields of your own app; others answer NOT_FOUND', async () => {
    const app = await registered(alice);
    const updated = await t.request(Update, {
      key: alice.key,
      variables: { input: { id: app.id, name: 'Scheduler Pro', homepageUrl: null } },
    });
    expect(updated.body.data!.updateApp).toMatchObject({
      app: {
        id: app.id,
        name: 'Scheduler Pro',
        description: 'Posts at the best time.',
        homepageUrl: null,
      },
      userErrors: [],
    });
    const stolen = await t.request(Update, {
      key: bob.key,
      variables: { input: { id: app.id, redirectUris: ['https://evil.example/cb'] } },
    });
    expect(stolen.body.data!.updateApp).toEqual({
      app: null,
      userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }],
    });
    const removedByBob = await t.request(Delete, { key: bob.key, variables: { id: app.id } });
    expect(removedByBob.body.data!.deleteApp).toEqual({
      deletedAppId: null,
      userErrors: [{ code: 'NOT_FOUND' }],
    });
    const [row] = await t.database.db
      .select()
      .from(oauthAppTable)
      .where(eq(oauthAppTable.id, await idOf(app.clientId)));
    expect(row!.redirectUris).toEqual(['https://scheduler.example/callback']);
  });

  it('deleteApp removes the app and its installs', async () => {
    const app = await registered(alice);
    const id = await idOf(app.clientId);
    await setAppStatus(t.database.db, app.clientId, 'approved');
    await recordInstall(t.database.db, { appId: id, userId: bob.userId, scopes: ['read:user'] });
    const removed = await t.request(Delete, { key: alice.key, variables: { id: app.id } });
    expect(removed.body.data!.deleteApp).toEqual({ deletedAppId: app.id, userErrors: [] });
    expect(
      await t.database.db.select().from(oauthAppTable).where(eq(oauthAppTable.id, id)),
    ).toEqual([]);
    expect(
      await t.database.db.select().from(appInstallTable).where(eq(appInstallTable.appId, id)),
    ).toEqual([]);
  });
});

async function idOf(clientId: string): Promise<string> {
  const [row] = await t.database.db
    .select({ id: oauthAppTable.id })
    .from(oauthAppTable)
    .where(eq(oauthAppTable.clientId, clientId));
  return row!.id;
}

describe('appDirectory', () => {
  let directory: TestApp;
  let owner: TestViewer;
  let reader: TestViewer;

  beforeAll(async () => {
    directory = await startTestApp({ DEMO: 'false' });
    owner = await directory.createViewer();
    reader = await directory.createViewer();
    const names = ['Zeta', 'Alpha', 'Mid', 'Beta', 'Pending one'];
    for (const name of names) {
      const response = await directory.request(Register, {
        key: owner.key,
        variables: {
          input: input({ name, category: name === 'Mid' ? 'VIDEO_EDITING' : 'ANALYTICS' }),
        },
      });
      const { clientId } = response.body.data!.registerApp.app!;
      if (name !== 'Pending one') await setAppStatus(directory.database.db, clientId, 'approved');
    }
  });
  afterAll(() => directory.close());

  it('lists approved apps only, by name, with install counts and keyset pages', async () => {
    const first = await directory.request(Directory, { key: reader.key, variables: { first: 2 } });
    const page = first.body.data!.appDirectory;
    expect(page.totalCount).toBe(4);
    expect(page.edges.map((e) => e.node.name)).toEqual(['Alpha', 'Beta']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges[0]!.node).toMatchObject({
      isMine: false,
      redirectUris: null,
      status: 'APPROVED',
    });
    const rest = await directory.request(Directory, {
      key: reader.key,
      variables: { first: 10, after: page.pageInfo.endCursor },
    });
    expect(rest.body.data!.appDirectory.edges.map((e) => e.node.name)).toEqual(['Mid', 'Zeta']);

    // Install counts follow installs and uninstalls.
    const alpha = page.edges[0]!.node;
    const alphaId = (
      await directory.database.db
        .select()
        .from(oauthAppTable)
        .where(eq(oauthAppTable.name, 'Alpha'))
    )[0]!.id;
    await recordInstall(directory.database.db, {
      appId: alphaId,
      userId: reader.userId,
      scopes: ['read:user'],
    });
    await recordInstall(directory.database.db, {
      appId: alphaId,
      userId: owner.userId,
      scopes: ['read:user'],
    });
    const counted = await directory.request(Directory, {
      key: reader.key,
      variables: { first: 1 },
    });
    expect(counted.body.data!.appDirectory.edges[0]!.node).toMatchObject({
      id: alpha.id,
      installCount: 2,
    });
    const uninstall = await directory.request(Uninstall, {
      key: reader.key,
      variables: { id: alpha.id },
    });
    expect(uninstall.body.data!.uninstallApp.userErrors).toEqual([]);
    const again = await directory.request(Uninstall, {
      key: reader.key,
      variables: { id: alpha.id },
    });
    expect(again.body.data!.uninstallApp.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const recount = await directory.request(Directory, {
      key: reader.key,
      variables: { first: 1 },
    });
    expect(recount.body.data!.appDirectory.edges[0]!.node.installCount).toBe(1);
  });

  it('filters by category and name', async () => {
    const editing = await directory.request(Directory, {
      key: reader.key,
      variables: { category: 'VIDEO_EDITING' },
    });
    expect(editing.body.data!.appDirectory.edges.map((e) => e.node.name)).toEqual(['Mid']);
    const search = await directory.request(Directory, {
      key: reader.key,
      variables: { search: 'ET' },
    });
    expect(search.body.data!.appDirectory.edges.map((e) => e.node.name)).toEqual(['Beta', 'Zeta']);
    const wildcard = await directory.request(Directory, {
      key: reader.key,
      variables: { search: '%' },
    });
    expect(wildcard.body.data!.appDirectory.totalCount).toBe(0);
  });

  it('node(id): others see approved apps without private fields and never pending ones', async () => {
    const mine = await directory.request(
      graphql(`
        query MyAppNames {
          myApps {
            id
            name
          }
        }
      `),
      { key: owner.key },
    );
    const pending = mine.body.data!.myApps.find((a) => a.name === 'Pending one')!;
    const approved = mine.body.data!.myApps.find((a) => a.name === 'Zeta')!;
    const query = graphql(`
      query AppNode($id: ID!) {
        node(id: $id) {
          ... on App {
            name
            redirectUris
            isMine
          }
        }
      }
    `);
    const hidden = await directory.request(query, {
      key: reader.key,
      variables: { id: pending.id },
    });
    expect(hidden.body.data!.node).toBeNull();
    const visible = await directory.request(query, {
      key: reader.key,
      variables: { id: approved.id },
    });
    expect(visible.body.data!.node).toEqual({ name: 'Zeta', redirectUris: null, isMine: false });
    const own = await directory.request(query, { key: owner.key, variables: { id: pending.id } });
    expect(own.body.data!.node).toMatchObject({ name: 'Pending one', isMine: true });
    const ownApp = own.body.data!.node as { redirectUris: string[] | null };
    expect(ownApp.redirectUris).toHaveLength(1);
  });
});

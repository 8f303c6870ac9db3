import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInstallTable, oauthAppTable, oauthStoreTable } from '../../../src/db/schema.js';
import { setPassword } from '../../../src/modules/auth/password.js';
import { SCOPES } from '../../../src/modules/auth/scopes.js';
import { liveBuiltInGrants } from '../../../src/modules/auth/oauth-server/grants.js';
import { Browser, formActions, location } from '../../helpers/oauth.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

const CLIENT_ID = 'pulse-dashboards';
const PASSWORD = 'correct horse battery staple';
const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: CLIENT_ID };
const ME = '{ me { email } }';

let t: TestApp;
let baseUrl: string;
let redirectUri: string;
let as: oauth.AuthorizationServer;
let user: TestViewer;
let userEmail: string;

beforeAll(async () => {
  t = await startTestApp({ DEMO: 'false' });
  baseUrl = (await t.app.start()).url;
  redirectUri = `${baseUrl}/auth/callback`;
  userEmail = `dashboards-${Date.now()}@pulse.test`;
  user = await t.createViewer({ email: userEmail });
  await setPassword(t.database.db, user.userId, PASSWORD);
  const issuer = new URL(`${baseUrl}/oauth`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});
afterAll(() => t.close());

async function authorizationUrl(overrides: Record<string, string | null> = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  const params: Record<string, string | null> = {
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: SCOPES.join(' '),
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [name, value] of Object.entries(params))
    if (value !== null) url.searchParams.set(name, value);
  return { url, verifier, state };
}

/** Signs in on the login page; the first-party client then returns without a consent page. */
async function authorize(browser: Browser) {
  const { url, verifier, state } = await authorizationUrl();
  let response = await browser.get(url);
  expect(response.status).toBe(303);
  let next = location(response, baseUrl);
  if (next.pathname.startsWith('/oauth/interaction/')) {
    response = await browser.get(next);
    const html = await response.text();
    expect(html).toContain('Pulse dashboards');
    response = await browser.post(new URL(formActions(html)[0]!, baseUrl), {
      email: userEmail,
      password: PASSWORD,
    });
    expect(response.status).toBe(303);
    response = await browser.get(location(response, baseUrl));
    expect(response.status).toBe(303);
    next = location(response, baseUrl);
  }
  return { callback: next, verifier, state };
}

async function exchange(callback: URL, verifier: string, state: string) {
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

/** A raw token request, for what oauth4webapi itself would refuse to send. */
const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(as.token_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });

describe('the dashboards’ built-in public OAuth client (pulse-dashboards)', () => {
  it('PKCE without a secret → tokens → /graphql → rotating refresh → revoke', async () => {
    const browser = new Browser();
    const { callback, verifier, state } = await authorize(browser);
    // First-party: signed in, straight back to the dashboards (no consent page).
    expect(callback.origin + callback.pathname).toBe(redirectUri);

    const tokens = await exchange(callback, verifier, state);
    expect(tokens.refresh_token).toBeTruthy();
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: `${baseUrl}/oauth`,
      aud: `${baseUrl}/graphql`,
      sub: user.userId,
      client_id: CLIENT_ID,
    });
    expect(String(claims['scope']).split(' ').sort()).toEqual([...SCOPES].sort());

    const me = await t.graphql(ME, { key: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.body.data.me.email).toBe(userEmail);
    // Every API scope, writes included.
    const update = await t.graphql(
      'mutation { updateProfile(input: { name: "Dash" }) { userErrors { code } } }',
      { key: tokens.access_token },
    );
    expect(update.status).toBe(200);
    expect(update.body.data.updateProfile.userErrors).toEqual([]);

    // Nothing is installed and no app row exists: the dashboards are not a marketplace app.
    expect(
      await t.database.db
        .select()
        .from(appInstallTable)
        .where(eq(appInstallTable.userId, user.userId)),
    ).toEqual([]);
    expect(
      await t.database.db.select().from(oauthAppTable).where(eq(oauthAppTable.clientId, CLIENT_ID)),
    ).toEqual([]);

    // Refresh rotates the refresh token; the spent one is refused.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        tokens.refresh_token!,
        insecure,
      ),
    );
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await t.graphql(ME, { key: refreshed.access_token })).status).toBe(200);
    const reused = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: CLIENT_ID,
    });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: string }).error).toBe('invalid_grant');

    // Sign-out revokes the refresh token, and with it the grant: every token stops at once.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), refreshed.refresh_token!, insecure),
    );
    for (const token of [refreshed.access_token, tokens.access_token]) {
      const after = await t.graphql(ME, { key: token });
      expect(after.status).toBe(401);
      expect(after.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }

    // Signing in again (the session remembers the user) issues a fresh grant and tokens.
    const again = await authorize(browser);
    const renewed = await exchange(again.callback, again.verifier, again.state);
    expect((await t.graphql(ME, { key: renewed.access_token })).status).toBe(200);
  });

  it('refuses a code exchanged without code_verifier or with the wrong one', async () => {
    const { callback, state } = await authorize(new Browser());
    const code = oauth.validateAuthResponse(as, client, callback, state).get('code')!;
    const base = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
    const missing = await tokenRequest({ ...base, client_id: CLIENT_ID });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_grant');
    const wrong = await tokenRequest({
      ...base,
      client_id: CLIENT_ID,
      code_verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses an authorization without PKCE S256 or to another redirect URI', async () => {
    const browser = new Browser();
    const refusals: Record<string, string | null>[] = [
      { code_challenge: null, code_challenge_method: null },
      { code_challenge_method: 'plain' },
    ];
    for (const overrides of refusals) {
      const { url } = await authorizationUrl(overrides);
      const response = await browser.get(url);
      expect(response.status).toBe(303);
      const refused = location(response, baseUrl);
      expect(refused.origin + refused.pathname).toBe(redirectUri);
      expect(refused.searchParams.get('error')).toBe('invalid_request');
    }
    const { url } = await authorizationUrl({ redirect_uri: 'https://evil.example/auth/callback' });
    const response = await browser.get(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('exchanges a code posted from its own origin (as browsers send it), refuses any other origin', async () => {
    const foreign = await authorize(new Browser());
    const foreignCode = oauth
      .validateAuthResponse(as, client, foreign.callback, foreign.state)
      .get('code')!;
    const form = (code: string, verifier: string) => ({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: CLIENT_ID,
    });
    const refused = await tokenRequest(form(foreignCode, foreign.verifier), {
      origin: 'https://evil.example',
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const own = await authorize(new Browser());
    const code = oauth.validateAuthResponse(as, client, own.callback, own.state).get('code')!;
    const accepted = await tokenRequest(form(code, own.verifier), {
      origin: new URL(baseUrl).origin,
    });
    expect(accepted.status).toBe(200);
    const tokens = (await accepted.json()) as { access_token: string };
    expect((await t.graphql(ME, { key: tokens.access_token })).body.data.me.email).toBe(userEmail);
  });

  it('has no secret to authenticate with: client_secret_basic is refused', async () => {
    const response = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: 'x' },
      { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:guess`).toString('base64')}` },
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('is not in the app directory and cannot be touched through the app API', async () => {
    const directory = await t.graphql('{ appDirectory(first: 100) { edges { node { name } } } }', {
      key: user.key,
    });
    expect(directory.status).toBe(200);
    expect(
      directory.body.data.appDirectory.edges.map(
        (edge: { node: { name: string } }) => edge.node.name,
      ),
    ).not.toContain('Pulse dashboards');
    const installed = await t.graphql('{ installedApps { app { id } } }', { key: user.key });
    expect(installed.body.data.installedApps).toEqual([]);
  });

  it('keeps its grants live for WebSocket/SSE sessions until they are revoked', async () => {
    const { callback, verifier, state } = await authorize(new Browser());
    const tokens = await exchange(callback, verifier, state);
    const grantId = String(decodeJwt(tokens.access_token)['grant_id']);
    expect(await liveBuiltInGrants(t.database.db, [grantId])).toEqual(new Set([grantId]));
    await t.database.db
      .delete(oauthStoreTable)
      .where(sql`${oauthStoreTable.id} = ${grantId} and ${oauthStoreTable.model} = 'Grant'`);
    expect(await liveBuiltInGrants(t.database.db, [grantId])).toEqual(new Set());
  });

  it('is offered to the dashboards in /dashboards/config.json', async () => {
    const response = await fetch(`${baseUrl}/dashboards/config.json`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { oauth: unknown }).oauth).toEqual({
      issuer: `${baseUrl}/oauth`,
      clientId: CLIENT_ID,
      scope: SCOPES.join(' '),
    });
  });
});

describe('the dashboards’ client in demo mode', () => {
  let demo: TestApp;
  let demoUrl: string;

  beforeAll(async () => {
    demo = await startTestApp({ DEMO: 'true' });
    demoUrl = (await demo.app.start()).url;
    await demo.createViewer({ email: 'demo@pulse.dev' });
  });
  afterAll(() => demo.close());

  it('signs in with the one-click demo login, without a consent page', async () => {
    const issuer = new URL(`${demoUrl}/oauth`);
    const server = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, insecure),
    );
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(server.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: `${demoUrl}/auth/callback`,
      response_type: 'code',
      scope: 'read:user',
      state: 'xyz',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const browser = new Browser();
    let response = await browser.get(url);
    response = await browser.get(location(response, demoUrl));
    const login = await response.text();
    expect(login).toContain('Continue as the demo user');
    response = await browser.post(new URL(formActions(login)[1]!, demoUrl), { demo: '1' });
    expect(response.status).toBe(303);
    response = await browser.get(location(response, demoUrl));
    expect(response.status).toBe(303);
    const callback = location(response, demoUrl);
    expect(callback.pathname).toBe('/auth/callback');
    const params = oauth.validateAuthResponse(server, client, callback, 'xyz');
    const tokens = await oauth.processAuthorizationCodeResponse(
      server,
      client,
      await oauth.authorizationCodeGrantRequest(
        server,
        client,
        oauth.None(),
        params,
        `${demoUrl}/auth/callback`,
        verifier,
        insecure,
      ),
    );
    const me = await demo.graphql(ME, { key: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.body.data.me.email).toBe('demo@pulse.dev');
  });
});

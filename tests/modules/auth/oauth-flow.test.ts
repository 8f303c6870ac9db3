import { and, eq } from 'drizzle-orm';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInstallTable, oauthStoreTable } from '../../../src/db/schema.js';
import { setPassword } from '../../../src/modules/auth/password.js';
import { setAppStatus } from '../../../src/modules/oauth-app/oauth-app.service.js';
import { Browser, formActions, location } from '../../helpers/oauth.js';
import { startTestApp, type TestApp, type TestViewer } from '../../helpers/test-app.js';

let t: TestApp;
let baseUrl: string;
let developer: TestViewer;
let user: TestViewer;
let userEmail: string;
const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://127.0.0.1:9999/callback';
let as: oauth.AuthorizationServer;
let client: oauth.Client;
let clientAuth: oauth.ClientAuth;
let appId: string;
const insecure = { [oauth.allowInsecureRequests]: true };

const REGISTER = `mutation($input: RegisterAppInput!) {
  registerApp(input: $input) { app { id clientId status } clientSecret userErrors { field code } }
}`;

beforeAll(async () => {
  t = await startTestApp({ DEMO: 'false' });
  baseUrl = (await t.app.start()).url;
  developer = await t.createViewer();
  userEmail = `reader-${Date.now()}@pulse.test`;
  user = await t.createViewer({ email: userEmail });
  await setPassword(t.database.db, user.userId, PASSWORD);
  const registered = await t.graphql(REGISTER, {
    key: developer.key,
    variables: {
      input: {
        name: 'Chart <b>Maker</b> & "Co"',
        description: 'Charts <script>alert(1)</script> for you',
        category: 'ANALYTICS',
        redirectUris: [REDIRECT_URI],
        scopes: ['READ_USER', 'READ_VIDEOS', 'READ_ANALYTICS'],
        homepageUrl: 'https://charts.example',
      },
    },
  });
  const { app, clientSecret } = registered.body.data.registerApp;
  expect(app.status).toBe('PENDING');
  appId = app.id;
  await setAppStatus(t.database.db, app.clientId, 'approved');
  const issuer = new URL(`${baseUrl}/oauth`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  client = { client_id: app.clientId };
  clientAuth = oauth.ClientSecretBasic(clientSecret);
});
afterAll(() => t.close());

async function authorizationUrl(overrides: Record<string, string | null> = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  const params: Record<string, string | null> = {
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'read:user read:videos',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [name, value] of Object.entries(params))
    if (value !== null) url.searchParams.set(name, value);
  return { url, verifier, state };
}

/** Drives the pages as a user would: sign in, then consent to `grant` (all by default). */
async function authorize(
  browser: Browser,
  options: { grant?: string[]; request?: Record<string, string | null> } = {},
) {
  const { url, verifier, state } = await authorizationUrl(options.request);
  let response = await browser.get(url);
  expect(response.status).toBe(303);
  let next = location(response, baseUrl);
  // Signed in and consented before: straight back to the app.
  if (!next.pathname.startsWith('/oauth/')) return { callback: next, verifier, state, consent: '' };
  expect(next.pathname).toMatch(/^\/oauth\/interaction\//);
  response = await browser.get(next);
  const html = await response.text();
  if (html.includes('Sign in to Pulse')) {
    response = await browser.post(new URL(formActions(html)[0]!, baseUrl), {
      email: userEmail,
      password: PASSWORD,
    });
    expect(response.status).toBe(303);
    response = await browser.get(location(response, baseUrl));
    expect(response.status).toBe(303);
    next = location(response, baseUrl);
    response = await browser.get(next);
  }
  const consent = html.includes('Allow') ? html : await response.text();
  expect(consent).toContain('Allow');
  response = await browser.post(new URL(formActions(consent)[0]!, baseUrl), {
    scope: options.grant ?? ['read:user', 'read:videos'],
  });
  expect(response.status).toBe(303);
  response = await browser.get(location(response, baseUrl));
  expect(response.status).toBe(303);
  const callback = location(response, baseUrl);
  return { callback, verifier, state, consent };
}

async function exchange(callback: URL, verifier: string, state: string) {
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth,
    params,
    REDIRECT_URI,
    verifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

const ME = '{ me { email } }';

describe('OAuth authorization code + PKCE against the built-in server', () => {
  it('signs in, consents, exchanges the code, calls the API, refreshes, revokes', async () => {
    const browser = new Browser();
    const { callback, verifier, state, consent } = await authorize(browser);
    // The consent page lists what is asked, with app-provided text escaped.
    expect(consent).toContain('read:videos');
    expect(consent).toContain('Chart &lt;b&gt;Maker&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(consent).not.toContain('<script>alert(1)</script>');
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);

    const tokens = await exchange(callback, verifier, state);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    // RFC 9068: a JWT typed at+jwt, for this API, naming the client and the granted scopes.
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: `${baseUrl}/oauth`,
      aud: `${baseUrl}/graphql`,
      sub: user.userId,
      client_id: client.client_id,
    });
    expect(String(claims['scope']).split(' ').sort()).toEqual(['read:user', 'read:videos']);

    const me = await t.graphql(ME, { key: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.body.data.me.email).toBe(userEmail);
    // Scopes the user did not grant stay out of reach.
    const analytics = await t.graphql(
      'mutation { updateProfile(input: { name: "x" }) { userErrors { code } } }',
      { key: tokens.access_token },
    );
    expect(analytics.status).toBe(403);
    expect(analytics.body.errors![0]!.extensions).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      scope: 'write:user',
    });

    // Consent installed the app with the granted scopes.
    const [install] = await t.database.db
      .select()
      .from(appInstallTable)
      .where(eq(appInstallTable.userId, user.userId));
    expect([...install!.scopes].sort()).toEqual(['read:user', 'read:videos']);
    const installed = await t.graphql('{ installedApps { app { id } scopes } }', {
      key: user.key,
    });
    expect(installed.body.data.installedApps).toEqual([
      { app: { id: appId }, scopes: ['READ_USER', 'READ_VIDEOS'] },
    ]);

    // Refresh: a new access token and a rotated refresh token; the old one is spent.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await t.graphql(ME, { key: refreshed.access_token })).status).toBe(200);

    // Revoking the refresh token revokes the grant: the access tokens stop working at once.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, insecure),
    );
    for (const token of [refreshed.access_token, tokens.access_token]) {
      const after = await t.graphql(ME, { key: token });
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(after.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    const refreshAgain = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      refreshed.refresh_token!,
      insecure,
    );
    expect(refreshAgain.status).toBe(400);
  });

  it('grants only the scopes the user leaves checked', async () => {
    const browser = new Browser();
    const { callback, verifier, state } = await authorize(browser, {
      grant: ['read:user'],
      request: { scope: 'read:user read:analytics' },
    });
    const tokens = await exchange(callback, verifier, state);
    expect(decodeJwt(tokens.access_token)['scope']).toBe('read:user');
    const me = await t.graphql(ME, { key: tokens.access_token });
    expect(me.status).toBe(200);
  });

  it('with the openid scope it also returns an ID token; the access token still targets the API', async () => {
    const browser = new Browser();
    const { callback, verifier, state } = await authorize(browser, {
      request: { scope: 'openid read:user' },
      grant: ['read:user'],
    });
    const tokens = await exchange(callback, verifier, state);
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ sub: user.userId, aud: client.client_id });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: `${baseUrl}/graphql`,
      scope: 'read:user',
    });
    expect((await t.graphql(ME, { key: tokens.access_token })).status).toBe(200);
  });

  it('uninstallApp ends the app’s access at once and deletes its grants', async () => {
    const browser = new Browser();
    const { callback, verifier, state } = await authorize(browser);
    const tokens = await exchange(callback, verifier, state);
    expect((await t.graphql(ME, { key: tokens.access_token })).status).toBe(200);
    const uninstalled = await t.graphql(
      'mutation($id: ID!) { uninstallApp(input: { appId: $id }) { app { id } userErrors { code } } }',
      { key: user.key, variables: { id: appId } },
    );
    expect(uninstalled.body.data.uninstallApp).toEqual({ app: { id: appId }, userErrors: [] });
    expect((await t.graphql(ME, { key: tokens.access_token })).status).toBe(401);
    const refresh = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      tokens.refresh_token!,
      insecure,
    );
    expect(refresh.status).toBe(400);
    const grants = await t.database.db
      .select()
      .from(oauthStoreTable)
      .where(and(eq(oauthStoreTable.model, 'Grant')));
    expect(grants.filter((row) => row.payload['accountId'] === user.userId)).toEqual([]);
    const installed = await t.graphql('{ installedApps { app { id } } }', { key: user.key });
    expect(installed.body.data.installedApps).toEqual([]);
  });

  it('requires PKCE with S256 and the code flow only', async () => {
    const browser = new Browser();
    const noPkce = await authorizationUrl({ code_challenge: null, code_challenge_method: null });
    let response = await browser.get(noPkce.url);
    expect(location(response, baseUrl).searchParams.get('error')).toBe('invalid_request');
    const plain = await authorizationUrl({ code_challenge_method: 'plain' });
    response = await browser.get(plain.url);
    expect(location(response, baseUrl).searchParams.get('error')).toBe('invalid_request');
    const implicit = await authorizationUrl({ response_type: 'token' });
    response = await browser.get(implicit.url);
    const refused = location(response, baseUrl);
    const error =
      refused.searchParams.get('error') ?? new URLSearchParams(refused.hash.slice(1)).get('error');
    expect(error).toBe('unsupported_response_type');
  });

  it('a code exchanged with the wrong verifier or secret is refused', async () => {
    const browser = new Browser();
    const { callback, state } = await authorize(browser);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const wrongVerifier = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      REDIRECT_URI,
      oauth.generateRandomCodeVerifier(),
      insecure,
    );
    expect(wrongVerifier.status).toBe(400);
    const second = await authorize(browser);
    const wrongSecret = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic('pulse_cs_wrong'),
      oauth.validateAuthResponse(as, client, second.callback, second.state),
      REDIRECT_URI,
      second.verifier,
      insecure,
    );
    expect(wrongSecret.status).toBe(401);
  });

  it('denying consent returns access_denied to the app and installs nothing new', async () => {
    const other = await t.createViewer({ email: `denier-${Date.now()}@pulse.test` });
    const otherEmail = (await t.graphql('{ me { email } }', { key: other.key })).body.data.me.email;
    await setPassword(t.database.db, other.userId, PASSWORD);
    const browser = new Browser();
    const { url } = await authorizationUrl();
    let response = await browser.get(url);
    response = await browser.get(location(response, baseUrl));
    const login = await response.text();
    // A wrong password re-renders the form with an error; nothing is disclosed about the account.
    response = await browser.post(new URL(formActions(login)[0]!, baseUrl), {
      email: otherEmail,
      password: 'wrong password!',
    });
    expect(response.status).toBe(401);
    response = await browser.post(new URL(formActions(login)[0]!, baseUrl), {
      email: otherEmail,
      password: PASSWORD,
    });
    response = await browser.get(location(response, baseUrl));
    response = await browser.get(location(response, baseUrl));
    const consent = await response.text();
    const abort = formActions(consent).find((action) => action.endsWith('/abort'))!;
    response = await browser.post(new URL(abort, baseUrl), {});
    response = await browser.get(location(response, baseUrl));
    expect(location(response, baseUrl).searchParams.get('error')).toBe('access_denied');
    const installs = await t.database.db
      .select()
      .from(appInstallTable)
      .where(eq(appInstallTable.userId, other.userId));
    expect(installs).toEqual([]);
  });

  it('pending or unknown apps cannot start an authorization', async () => {
    const pending = await t.graphql(REGISTER, {
      key: developer.key,
      variables: {
        input: {
          name: 'Pending',
          category: 'OTHER',
          redirectUris: [REDIRECT_URI],
          scopes: ['READ_USER'],
        },
      },
    });
    const browser = new Browser();
    for (const clientId of [pending.body.data.registerApp.app.clientId, 'app_unknown']) {
      const { url } = await authorizationUrl({ client_id: clientId });
      const response = await browser.get(url);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await response.text()).toContain('invalid_client');
    }
  });

  it('interaction pages refuse requests without the interaction cookie', async () => {
    const browser = new Browser();
    const { url } = await authorizationUrl();
    const response = await browser.get(url);
    const interaction = location(response, baseUrl);
    const stranger = await fetch(interaction);
    expect(stranger.status).toBe(400);
    const forged = await fetch(new URL(`${interaction.pathname}/login`, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: userEmail, password: PASSWORD }),
    });
    expect(forged.status).toBe(400);
  });
});

describe('demo login', () => {
  let demo: TestApp;
  let demoUrl: string;

  beforeAll(async () => {
    demo = await startTestApp({ DEMO: 'true' });
    demoUrl = (await demo.app.start()).url;
  });
  afterAll(() => demo.close());

  it('demo mode auto-approves apps and offers a one-click demo sign-in', async () => {
    const developer = await demo.createViewer({ email: 'demo@pulse.dev' });
    const registered = await demo.graphql(REGISTER, {
      key: developer.key,
      variables: {
        input: {
          name: 'Demo app',
          category: 'OTHER',
          redirectUris: [REDIRECT_URI],
          scopes: ['READ_USER'],
        },
      },
    });
    const app = registered.body.data.registerApp.app;
    expect(app.status).toBe('APPROVED');
    const url = new URL(`${demoUrl}/oauth/auth`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read:user',
      state: 'xyz',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
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
    response = await browser.get(location(response, demoUrl));
    expect(await response.text()).toContain('Signed in as demo@pulse.dev');
  });

  it('outside demo mode the demo button is absent and demo=1 does not sign in', async () => {
    const browser = new Browser();
    const { url } = await authorizationUrl();
    let response = await browser.get(url);
    const interaction = location(response, baseUrl);
    response = await browser.get(interaction);
    const login = await response.text();
    expect(login).not.toContain('demo user');
    response = await browser.post(new URL(`${interaction.pathname}/login`, baseUrl), {
      demo: '1',
    });
    expect(response.status).toBe(401);
  });
});

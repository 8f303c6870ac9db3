import type { IncomingMessage, ServerResponse } from 'node:http';
import { eq } from 'drizzle-orm';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Db } from '../../../db/client.js';
import { userTable, type User } from '../../../db/schema.js';
import { checkPassword, MAX_PASSWORD_LENGTH } from '../password.js';
import { isScope, type Scope } from '../scopes.js';
import { DEMO_EMAIL } from '../../demo/demo.service.js';
import { findApprovedApp, recordInstall } from '../../oauth-app/oauth-app.service.js';
import { findUserByEmail } from '../../user/user.service.js';
import { DASHBOARDS_CLIENT_NAME, isFirstPartyClient } from './first-party.js';
import { consentPage, errorPage, loginPage, sendPage } from './views.js';

const FORM_LIMIT_BYTES = 16 * 1024;
const FAILED_LOGINS = { points: 10, duration: 15 * 60 };

export interface InteractionDeps {
  provider: Provider;
  db: Db;
  logger: Logger;
  audience: string;
  demo: boolean;
}

/** Reads an urlencoded form body; null when it is not one or is too large. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const expired = (res: ServerResponse) =>
  sendPage(
    res,
    400,
    'Sign-in expired',
    errorPage('This sign-in request has expired or is not valid (cookies must be enabled).'),
  );

/**
 * The login and consent pages of the built-in authorization server, at
 * `/oauth/interaction/<uid>[/login|/confirm|/abort]`. oidc-provider sends the browser here when
 * it needs the user to sign in or to consent, and these pages hand the outcome back to it.
 *
 * Cross-site form posts cannot succeed: the interaction cookie oidc-provider checks is SameSite.
 */
export function createInteractionHandler(deps: InteractionDeps) {
  const failedLogins = new RateLimiterMemory(FAILED_LOGINS);

  async function login(
    req: IncomingMessage,
    res: ServerResponse,
    details: InteractionDetails,
    appName: string,
    form: URLSearchParams,
  ) {
    let user: User | null | undefined;
    const email = (form.get('email') ?? '').trim().toLowerCase().slice(0, 254);
    if (form.get('demo') === '1' && deps.demo) {
      user = await findUserByEmail(deps.db, DEMO_EMAIL);
    } else {
      const limited = await failedLogins.get(email);
      if (limited && limited.consumedPoints >= FAILED_LOGINS.points) {
        return sendPage(
          res,
          429,
          'Sign in',
          loginPage({
            uid: details.uid,
            appName,
            email,
            demo: deps.demo,
            error: 'Too many failed attempts; try again in 15 minutes.',
          }),
        );
      }
      const password = form.get('password') ?? '';
      user = email && password ? await checkPassword(deps.db, email, password) : null;
      if (!user) {
        await failedLogins.consume(email).catch(() => undefined);
        return sendPage(
          res,
          401,
          'Sign in',
          loginPage({
            uid: details.uid,
            appName,
            email,
            demo: deps.demo,
            error: 'Wrong email or password.',
          }),
        );
      }
      await failedLogins.delete(email);
    }
    if (!user) return expired(res);
    await deps.provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
  }

  /** Scopes the consent page asks for: this API's scopes the app requested and registered. */
  const requestedScopes = (details: InteractionDetails): Scope[] =>
    (details.prompt.details.missingResourceScopes?.[deps.audience] ?? []).filter(isScope);

  async function confirm(
    req: IncomingMessage,
    res: ServerResponse,
    details: InteractionDetails,
    appId: string | null,
    form: URLSearchParams,
  ) {
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (!accountId || !clientId) return expired(res);
    const { Grant } = deps.provider;
    const grant =
      (details.grantId ? await Grant.find(details.grantId) : undefined) ??
      new Grant({ accountId, clientId });
    const missingOidc = details.prompt.details.missingOIDCScope ?? [];
    if (missingOidc.length) grant.addOIDCScope(missingOidc.join(' '));
    const asked = requestedScopes(details);
    const chosen = new Set(form.getAll('scope'));
    const granted = asked.filter((scope) => chosen.has(scope));
    const rejected = asked.filter((scope) => !chosen.has(scope));
    if (granted.length) grant.addResourceScope(deps.audience, granted.join(' '));
    if (rejected.length) grant.rejectResourceScope(deps.audience, rejected.join(' '));
    const grantId = await grant.save();
    if (appId) await recordInstall(deps.db, { appId, userId: accountId, scopes: granted });
    await deps.provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  return async function handleInteraction(
    req: IncomingMessage,
    res: ServerResponse,
    rest: string,
  ): Promise<void> {
    const [uid, action = '', ...extra] = rest.split('/');
    const method = req.method ?? 'GET';
    if (extra.length || !['', 'login', 'confirm', 'abort'].includes(action)) {
      return sendPage(res, 404, 'Not found', errorPage('There is no such page.'));
    }
    if ((action === '' && method !== 'GET') || (action !== '' && method !== 'POST')) {
      res.writeHead(405, { allow: action === '' ? 'GET' : 'POST' }).end();
      return;
    }
    let details: InteractionDetails;
    try {
      details = await deps.provider.interactionDetails(req, res);
    } catch {
      return expired(res);
    }
    if (details.uid !== uid) return expired(res);
    const clientId = details.params.client_id;
    const firstParty = isFirstPartyClient(clientId);
    const app = clientId && !firstParty ? await findApprovedApp(deps.db, clientId) : undefined;
    if (!app && !firstParty) return expired(res);
    const appName = app?.name ?? DASHBOARDS_CLIENT_NAME;
    const prompt = details.prompt.name;

    if (action === '') {
      if (prompt === 'login') {
        return sendPage(
          res,
          200,
          'Sign in',
          loginPage({ uid: details.uid, appName, demo: deps.demo }),
        );
      }
      const user = details.session ? await findUserById(deps.db, details.session.accountId) : null;
      if (prompt !== 'consent' || !user) return expired(res);
      // The grant normally covers a first-party client already (provider.ts loadGrant); should
      // consent still be asked for (prompt=consent), it is given without a page all the same.
      if (!app) {
        const all = new URLSearchParams(requestedScopes(details).map((scope) => ['scope', scope]));
        return confirm(req, res, details, null, all);
      }
      return sendPage(
        res,
        200,
        'Allow access',
        consentPage({ uid: details.uid, app, email: user.email, scopes: requestedScopes(details) }),
      );
    }

    const form = await readForm(req);
    if (!form) {
      return sendPage(res, 400, 'Bad request', errorPage('Send the form as it was shown.'));
    }
    if (action === 'abort') {
      await deps.provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user denied access.' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (action === 'login') {
      if (prompt !== 'login') return expired(res);
      if ((form.get('password') ?? '').length > MAX_PASSWORD_LENGTH) return expired(res);
      return login(req, res, details, appName, form);
    }
    if (prompt !== 'consent' || !app) return expired(res);
    return confirm(req, res, details, app.id, form);
  };
}

async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(userTable).where(eq(userTable.id, id)).limit(1);
  return user;
}

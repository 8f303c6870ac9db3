import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { purgeExpired } from './adapter.js';
import { baseUrlOfIssuer } from './first-party.js';
import { createInteractionHandler } from './interactions.js';
import { loadServerSecrets, type ServerSecrets } from './keys.js';
import { createProvider } from './provider.js';

/** Where the authorization server is mounted; its issuer is `<public URL>/oauth`. */
export const OAUTH_PATH = '/oauth';
const INTERACTION_PREFIX = `${OAUTH_PATH}/interaction/`;
const PURGE_INTERVAL_MS = 10 * 60_000;

export interface AuthorizationServerOptions {
  db: Db;
  logger: Logger;
  /** The issuer and audience; undefined until the server's public URL is known. */
  issuer: () => string | undefined;
  audience: () => string | undefined;
  signingKey: JsonWebKey | undefined;
  accessTokenTtlSeconds: number;
  demo: boolean;
  signal: AbortSignal;
}

interface Mounted {
  issuer: string;
  provider: Provider;
  callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interaction: ReturnType<typeof createInteractionHandler>;
}

/**
 * The built-in OAuth 2.0 authorization server: oidc-provider mounted under /oauth, created on the
 * first request (its issuer depends on the URL the server listens on), with its keys and state
 * in the database so every instance issues and accepts the same tokens.
 */
export class AuthorizationServer {
  private mounted: Promise<Mounted> | undefined;
  private secrets: Promise<ServerSecrets> | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AuthorizationServerOptions) {
    options.signal.addEventListener('abort', () => clearInterval(this.purgeTimer), {
      once: true,
    });
  }

  private loadSecrets(): Promise<ServerSecrets> {
    this.secrets ??= loadServerSecrets(this.options.db, this.options.signingKey);
    this.secrets.catch(() => (this.secrets = undefined));
    return this.secrets;
  }

  /** The issuer URL, once the server's public URL is known. */
  issuer(): string | undefined {
    return this.options.issuer();
  }

  /** The public signing keys (what `/oauth/jwks` serves). */
  async publicJwks(): Promise<{ keys: JsonWebKey[] }> {
    return { keys: [(await this.loadSecrets()).publicKey] };
  }

  private mount(issuer: string, audience: string): Promise<Mounted> {
    const mounted = (async () => {
      const provider = await createProvider({
        issuer,
        audience,
        db: this.options.db,
        logger: this.options.logger,
        secrets: await this.loadSecrets(),
        accessTokenTtlSeconds: this.options.accessTokenTtlSeconds,
        interactionPath: INTERACTION_PREFIX.slice(0, -1),
        baseUrl: baseUrlOfIssuer(issuer, OAUTH_PATH),
      });
      this.startPurging();
      return {
        issuer,
        provider,
        callback: provider.callback(),
        interaction: createInteractionHandler({
          provider,
          db: this.options.db,
          logger: this.options.logger,
          audience,
          demo: this.options.demo,
        }),
      };
    })();
    mounted.catch(() => {
      if (this.mounted === mounted) this.mounted = undefined;
    });
    return mounted;
  }

  private startPurging() {
    if (this.purgeTimer || this.options.signal.aborted) return;
    this.purgeTimer = setInterval(() => {
      purgeExpired(this.options.db).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not purge expired OAuth artefacts'),
      );
    }, PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  /** Answers /oauth/… and the RFC 8414 metadata path; false for anything else. */
  readonly route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    let rest: string;
    if (path === OAUTH_PATH || path.startsWith(`${OAUTH_PATH}/`)) {
      rest = url.slice(OAUTH_PATH.length) || '/';
    } else if (path === `/.well-known/oauth-authorization-server${OAUTH_PATH}`) {
      // RFC 8414 clients look for the metadata of an issuer with a path here.
      rest = '/.well-known/openid-configuration';
    } else {
      return false;
    }
    const issuer = this.options.issuer();
    const audience = this.options.audience();
    if (!issuer || !audience) {
      res.writeHead(503, { 'retry-after': '1' }).end();
      return true;
    }
    if (this.mounted === undefined) this.mounted = this.mount(issuer, audience);
    let mounted: Mounted;
    try {
      mounted = await this.mounted;
    } catch (error) {
      this.options.logger.error({ err: error }, 'authorization server unavailable');
      res.writeHead(503, { 'retry-after': '5' }).end();
      return true;
    }
    if (path.startsWith(INTERACTION_PREFIX)) {
      await mounted.interaction(req, res, path.slice(INTERACTION_PREFIX.length));
      return true;
    }
    // oidc-provider routes on the path below its mount point and builds every URL it returns
    // from the issuer: the original URL tells it the mount path, the forwarded headers its
    // public origin (whatever Host the client sent).
    const issuerUrl = new URL(mounted.issuer);
    const mountPath = issuerUrl.pathname.replace(/\/$/, '');
    const forwarded = req as IncomingMessage & { originalUrl?: string };
    forwarded.originalUrl = `${mountPath}${rest}`;
    req.url = rest;
    req.headers['x-forwarded-host'] = issuerUrl.host;
    req.headers['x-forwarded-proto'] = issuerUrl.protocol.slice(0, -1);
    delete req.headers['x-forwarded-for'];
    await mounted.callback(req, res);
    return true;
  };
}

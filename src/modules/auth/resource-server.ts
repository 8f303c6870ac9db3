import * as oauth from 'oauth4webapi';
import type { Logger } from 'pino';

/** The presented token is not acceptable: answer 401 `invalid_token`. */
export class InvalidAccessTokenError extends Error {
  override name = 'InvalidAccessTokenError';
}

/** The issuer's metadata or keys cannot be fetched and nothing is cached: answer 503. */
export class IssuerUnavailableError extends Error {
  override name = 'IssuerUnavailableError';
}

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  client_id: string;
  exp: number;
  scope?: string;
  [claim: string]: unknown;
}

/** Where tokens come from: resolved lazily, since the built-in issuer's URL is known at listen. */
export interface IssuerSource {
  /** The expected `iss`, or undefined while unknown (tokens are then refused). */
  issuer(): string | undefined;
  /** The expected `aud`. */
  audience(): string | undefined;
  /**
   * For the built-in issuer: its public JWKS, served in process instead of over HTTP (the same
   * keys, read from the database every instance shares). Undefined for an external issuer,
   * whose metadata and JWKS are fetched from its discovery document.
   */
  localJwks?: () => Promise<{ keys: JsonWebKey[] }>;
}

const FETCH_TIMEOUT_MS = 5_000;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Plain http is only ever allowed for an issuer on this machine (development and tests). */
export function isLoopbackHttp(url: string): boolean {
  const parsed = URL.parse(url);
  return (
    parsed?.protocol === 'http:' &&
    ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname.toLowerCase())
  );
}

/**
 * Validates RFC 9068 JWT access tokens with oauth4webapi (`typ: at+jwt`, issuer, audience,
 * expiry with a clock tolerance, signature through the issuer's JWKS).
 *
 * Keys: oauth4webapi caches the JWKS per issuer and refetches when it is 5 minutes old or a token
 * names an unknown `kid`. The fetch below remembers the last good JWKS and answers with it when
 * the issuer cannot be reached, so known keys keep working through a JWKS outage; with nothing
 * cached (a cold start) the outage is an IssuerUnavailableError, never an acceptance.
 */
export class AccessTokenVerifier {
  private metadata: { issuer: string; as: Promise<oauth.AuthorizationServer> } | undefined;
  private readonly lastGood = new Map<string, string>();

  constructor(
    private readonly source: IssuerSource,
    private readonly options: { clockToleranceSeconds: number; logger: Logger },
  ) {}

  /** The configured issuer and audience, when known. */
  expected(): { issuer: string; audience: string } | undefined {
    const issuer = this.source.issuer();
    const audience = this.source.audience();
    return issuer && audience ? { issuer, audience } : undefined;
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const expected = this.expected();
    if (!expected || !JWS_COMPACT.test(token)) throw new InvalidAccessTokenError('not a JWT');
    const as = await this.authorizationServer(expected.issuer);
    try {
      const claims = await oauth.validateJwtAccessToken(
        as,
        new Request('http://pulse.invalid/graphql', {
          headers: { authorization: `Bearer ${token}` },
        }),
        expected.audience,
        {
          [oauth.clockTolerance]: this.options.clockToleranceSeconds,
          [oauth.customFetch]: this.fetchKeys,
          // The built-in issuer's keys never travel over the network, whatever its URL scheme.
          [oauth.allowInsecureRequests]:
            this.source.localJwks !== undefined || isLoopbackHttp(expected.issuer),
        },
      );
      return claims as unknown as AccessTokenClaims;
    } catch (error) {
      if (error instanceof IssuerUnavailableError) throw error;
      this.options.logger.debug({ reason: (error as Error).message }, 'access token refused');
      throw new InvalidAccessTokenError((error as Error).message, { cause: error });
    }
  }

  /** Metadata, discovered once per issuer; a failed discovery is retried on the next request. */
  private authorizationServer(issuer: string): Promise<oauth.AuthorizationServer> {
    if (this.metadata?.issuer !== issuer) {
      const as = this.source.localJwks
        ? Promise.resolve({ issuer, jwks_uri: `${issuer}/jwks` })
        : this.discover(issuer);
      this.metadata = { issuer, as };
      as.catch(() => {
        if (this.metadata?.as === as) this.metadata = undefined;
      });
    }
    return this.metadata.as;
  }

  private async discover(issuer: string): Promise<oauth.AuthorizationServer> {
    const url = new URL(issuer);
    const options = {
      [oauth.allowInsecureRequests]: isLoopbackHttp(issuer),
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    };
    let lastError: unknown;
    // OpenID Connect discovery first (what most IdPs and the built-in server publish), then
    // RFC 8414 OAuth metadata.
    for (const algorithm of ['oidc', 'oauth2'] as const) {
      try {
        const response = await oauth.discoveryRequest(url, { ...options, algorithm });
        if (response.status === 404) continue;
        return await oauth.processDiscoveryResponse(url, response);
      } catch (error) {
        lastError = error;
      }
    }
    this.options.logger.warn({ err: lastError, issuer }, 'OAuth issuer discovery failed');
    throw new IssuerUnavailableError(`cannot discover ${issuer}`, { cause: lastError });
  }

  private readonly fetchKeys = async (url: string, init: RequestInit): Promise<Response> => {
    const json = (body: string) =>
      new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    try {
      let body: string;
      if (this.source.localJwks) {
        body = JSON.stringify(await this.source.localJwks());
      } else {
        const response = await fetch(url, {
          ...init,
          signal: AbortSignal.any([
            AbortSignal.timeout(FETCH_TIMEOUT_MS),
            ...(init.signal ? [init.signal] : []),
          ]),
        });
        if (response.status !== 200) throw new Error(`JWKS answered ${response.status}`);
        body = await response.text();
        JSON.parse(body);
      }
      this.lastGood.set(url, body);
      return json(body);
    } catch (error) {
      const cached = this.lastGood.get(url);
      this.options.logger.warn(
        { err: error, jwksUri: url, usingCachedKeys: cached !== undefined },
        'JWKS fetch failed',
      );
      if (cached !== undefined) return json(cached);
      throw new IssuerUnavailableError('the issuer JWKS is unreachable', { cause: error });
    }
  };
}

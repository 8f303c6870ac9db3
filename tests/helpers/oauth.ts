import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';

/**
 * A browser as far as the OAuth pages need one: follows nothing by itself (each redirect is a
 * step the test asserts), keeps cookies per path, posts forms.
 */
export class Browser {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  private cookieHeader(url: URL): string {
    return [...this.cookies.values()]
      .filter((cookie) => url.pathname.startsWith(cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expires = attributes.find((a) => a.toLowerCase().startsWith('expires='));
      const key = `${name}|${path}`;
      if (value === '' || (expires && new Date(expires.slice(8)).getTime() < Date.now()))
        this.cookies.delete(key);
      else this.cookies.set(key, { name: name!, value, path });
    }
  }

  async get(url: string | URL): Promise<Response> {
    const target = new URL(url);
    const response = await fetch(target, {
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(target) },
    });
    this.remember(response);
    return response;
  }

  async post(url: string | URL, form: Record<string, string | string[]>): Promise<Response> {
    const target = new URL(url);
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form))
      for (const item of [value].flat()) body.append(name, item);
    const response = await fetch(target, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(target),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
    });
    this.remember(response);
    return response;
  }
}

/** The Location of a redirect, resolved against the request URL. */
export function location(response: Response, base: string): URL {
  const value = response.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(value, base);
}

/** The form action paths of a page, in order. */
export const formActions = (html: string) =>
  [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((match) => match[1]!);

/**
 * A tiny external OAuth issuer for the resource-server tests: OIDC discovery and a JWKS on a
 * local port, and jose to sign tokens with its key (or with anything else, to attack).
 */
export class TestIssuer {
  private server: Server | undefined;
  url = '';
  privateKey!: CryptoKey;
  publicJwk!: JWK;
  kid = 'test-key-1';
  /** JWKS requests received, answered or not. */
  jwksRequests = 0;
  /** While false, discovery and JWKS requests fail (the issuer is "down"). */
  up = true;

  static async start(): Promise<TestIssuer> {
    const issuer = new TestIssuer();
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    issuer.privateKey = privateKey;
    issuer.publicJwk = {
      ...(await exportJWK(publicKey)),
      kid: issuer.kid,
      alg: 'RS256',
      use: 'sig',
    };
    issuer.server = createServer((req, res) => {
      if (req.url === '/jwks') issuer.jwksRequests += 1;
      if (!issuer.up) {
        res.writeHead(503).end();
        return;
      }
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: issuer.url, jwks_uri: `${issuer.url}/jwks` }));
        return;
      }
      if (req.url === '/jwks') {
        const jwks: JSONWebKeySet = { keys: [issuer.publicJwk] };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(jwks));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => issuer.server!.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(issuer.server.address() as AddressInfo).port}`;
    return issuer;
  }

  /** A valid RFC 9068 token unless `overrides` say otherwise. */
  async token(
    claims: JWTPayload & Record<string, unknown>,
    options: {
      audience: string;
      header?: Record<string, unknown>;
      expiresIn?: number;
      key?: CryptoKey | Uint8Array;
      alg?: string;
    },
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.url,
      aud: options.audience,
      iat: now,
      exp: now + (options.expiresIn ?? 300),
      client_id: 'test-client',
      jti: `jti-${Math.random().toString(36).slice(2)}`,
      scope: 'read:user read:videos',
      ...claims,
    })
      .setProtectedHeader({
        alg: options.alg ?? 'RS256',
        typ: 'at+jwt',
        kid: this.kid,
        ...options.header,
      } as { alg: string })
      .sign(options.key ?? this.privateKey);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

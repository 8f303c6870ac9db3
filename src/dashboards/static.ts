import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { HttpRoute } from '../server/http.js';
import { pendingBuild } from './build.js';
import { DIST_DIR } from './paths.js';

/** What the sign-in page needs to know: GET /dashboards/config.json. */
export interface DashboardsPublicConfig {
  /** Only in demo mode, where GraphiQL shows the same key. */
  demoApiKey: string | null;
  oauth: { issuer: string; clientId: string; scope: string } | null;
  persistedDocuments: boolean;
}

export const CONFIG_PATH = '/dashboards/config.json';

/** Paths the dashboards must never answer, whatever a client route might be called. */
const RESERVED = ['/graphql', '/health', '/ready', '/metrics', '/ingest', '/oauth'];

/**
 * The React router's routes (client/src/app.tsx): these get index.html, anything else unknown
 * falls through to the API's 404, so no future API path is shadowed by the single-page app.
 */
const CLIENT_ROUTES = [
  /^\/$/,
  /^\/content\/?$/,
  /^\/videos\/[^/]+\/?$/,
  /^\/developer\/?$/,
  /^\/insights\/?$/,
  /^\/reports\/?$/,
];
const CALLBACK_ROUTE = /^\/auth\/callback\/?$/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);

/** Recharts and React style attributes need inline styles; scripts come only from this origin. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoded = { body: Buffer; encoding: 'br' | 'gzip' | null };

const isReserved = (path: string) =>
  RESERVED.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

export function isClientRoute(path: string) {
  return CLIENT_ROUTES.some((route) => route.test(path)) || CALLBACK_ROUTE.test(path);
}

/**
 * Serves the built dashboards (client/dist): hashed assets as immutable, index.html for the
 * client routes (revalidated every time, so a new build is picked up at once), compressed with
 * brotli or gzip (each file compressed once per build), and the public config. GET and HEAD only.
 */
export function createDashboardsRoute(options: {
  /** A function when part of it is known only once the server listens (the OAuth issuer). */
  publicConfig: DashboardsPublicConfig | (() => DashboardsPublicConfig);
  distDir?: string;
}): HttpRoute {
  const distDir = options.distDir ?? DIST_DIR;
  const compressed = new Map<string, Promise<Buffer>>();
  const { publicConfig } = options;
  const configBody = () =>
    JSON.stringify(typeof publicConfig === 'function' ? publicConfig() : publicConfig);

  async function encode(
    file: string,
    body: Buffer,
    version: string,
    acceptEncoding: string,
  ): Promise<Encoded> {
    if (!COMPRESSIBLE.has(extname(file)) || body.length < 1024) return { body, encoding: null };
    const pick = /\bbr\b/.test(acceptEncoding)
      ? 'br'
      : /\bgzip\b/.test(acceptEncoding)
        ? 'gzip'
        : null;
    if (!pick) return { body, encoding: null };
    const key = `${pick}:${file}:${version}`;
    let result = compressed.get(key);
    if (!result) {
      result =
        pick === 'br'
          ? brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } })
          : gzipAsync(body, { level: 9 });
      compressed.set(key, result);
      result.catch(() => compressed.delete(key));
    }
    return { body: await result, encoding: pick };
  }

  async function sendFile(
    req: IncomingMessage,
    res: ServerResponse,
    relative: string,
    cacheControl: string,
    status = 200,
  ): Promise<boolean> {
    const file = join(distDir, relative);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return false;
    const version = `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}`;
    const etag = `W/"${version}"`;
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      etag,
      'last-modified': info.mtime.toUTCString(),
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    if (extname(file) === '.html') {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['referrer-policy'] = 'no-referrer';
    }
    if (status === 200 && req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const raw = await readFile(file);
    const { body, encoding } = await encode(
      file,
      raw,
      version,
      String(req.headers['accept-encoding'] ?? ''),
    );
    if (encoding) headers['content-encoding'] = encoding;
    headers['content-length'] = String(body.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    // Routes match the raw path: a global ID in /videos/:id may hold an escaped slash.
    let rawPath: string;
    let path: string;
    try {
      rawPath = new URL(req.url ?? '/', 'http://pulse.local').pathname;
      path = decodeURIComponent(rawPath);
    } catch {
      return false; // malformed escapes: yoga answers 404
    }
    if (isReserved(path) || isReserved(rawPath)) return false;

    if (path === CONFIG_PATH) {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : configBody());
      return true;
    }

    const isRoute = isClientRoute(rawPath);
    const isFile = !isRoute && extname(path) !== '';
    // A person who mistyped a page gets the app's own not-found page (as a 404); programs and
    // anything that looks like a file still get the API's plain 404.
    const isUnknownPage =
      !isRoute &&
      !isFile &&
      !path.split('/').some((part) => part.startsWith('.')) &&
      /\btext\/html\b/.test(req.headers.accept ?? '');
    if (!isFile && !isRoute && !isUnknownPage) return false;

    // A first start builds the dashboards while the API already answers; pages wait for it.
    const building = pendingBuild();
    if (building) {
      try {
        await building;
      } catch {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' });
        res.end('The dashboards could not be built; the server log says why.\n');
        return true;
      }
    }

    if (isFile) {
      const relative = normalize(path).replace(/^([/\\])+/, '');
      // No way out of dist, and no dotfiles.
      if (relative.startsWith('..') || relative.split(sep).some((part) => part.startsWith('.')))
        return false;
      const immutable = relative.startsWith(`assets${sep}`);
      return sendFile(
        req,
        res,
        relative,
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    }
    // Not built (DASHBOARDS was off at start, or a bare buildApp): the API's 404 answers.
    return sendFile(req, res, 'index.html', 'no-cache', isRoute ? 200 : 404);
  };
}

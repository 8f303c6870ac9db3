import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/**
 * A non-GraphQL HTTP route (the OAuth authorization server, the dashboards' static files),
 * tried in order before the GraphQL handler. Resolves true when it answered the request.
 */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface HttpServer {
  server: Server;
  /** Listens on host:port (port 0 = any free port); resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /**
   * Stops accepting connections and waits for in-flight requests. `closeSockets` runs once the
   * listener is closed (WebSockets are not idle keep-alive connections: they need their own
   * close); connections still open after `timeoutMs` are cut.
   */
  stop(closeSockets: () => void | Promise<void>, timeoutMs: number): Promise<void>;
}

export function createHttpServer(deps: {
  routes: readonly HttpRoute[];
  fallback: (req: IncomingMessage, res: ServerResponse) => unknown;
  logger: Logger;
}): HttpServer {
  const { routes, fallback, logger } = deps;
  async function routeRequest(req: IncomingMessage, res: ServerResponse) {
    try {
      for (const route of routes) if (await route(req, res)) return;
    } catch (error) {
      logger.error({ err: error, url: req.url }, 'route failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
      return;
    }
    await fallback(req, res);
  }
  const server = createServer((req, res) => {
    void routeRequest(req, res);
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    async stop(closeSockets, timeoutMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets become idle as their in-flight requests finish; close them as they do.
      const reaper = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      await closeSockets();
      const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
      await closed;
      clearInterval(reaper);
      clearTimeout(deadline);
    },
  };
}

import type { Logger } from 'pino';
import type { Database } from './db/client.js';
import type { Config } from './env.js';
import { dashboardsRoutes } from './dashboards/index.js';
import { createOperationAdmission } from './modules/limits/admission.js';
import { attachGraphqlWs } from './server/graphql-ws.js';
import { createHttpServer } from './server/http.js';
import { createMetrics } from './server/prometheus.js';
import { createPulseYoga } from './server/yoga.js';
import { createServices, type AppServices } from './services.js';

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
}

export interface App {
  /** In-process fetch, for tests and tools: the same handler the HTTP server uses. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  services: AppServices;
  /** Listens on config.port (0 = any free port); resolves with the bound URL. */
  start(): Promise<{ url: string; port: number }>;
  /** Graceful stop: not ready, stop accepting, finish in-flight work, close sockets with 1001. */
  stop(): Promise<void>;
}

/** Composes the services, the GraphQL handler and the two transports (HTTP, graphql-ws). */
export function buildApp({ config, database, logger }: AppDeps): App {
  const wiring = createServices({ config, db: database.db, logger });
  const { services } = wiring;
  const admission = createOperationAdmission(config.limits.graphqlMaxConcurrentOperations);
  const metrics = createMetrics(database, admission, services.webhooks);
  let accepting = true;
  let stopped: Promise<void> | undefined;

  const yoga = createPulseYoga({
    services,
    database,
    first: [metrics.plugin],
    limits: wiring.limitPlugins,
    admission: admission.plugin,
    accepting: () => accepting,
  });
  const http = createHttpServer({
    // The dashboards last, so they never shadow a route of the API's own.
    routes: [services.auth.route, ...dashboardsRoutes(config, services.auth.builtIn)],
    fallback: yoga,
    logger,
  });
  const graphqlWs = attachGraphqlWs({ server: http.server, yoga, services });

  async function stopGracefully() {
    accepting = false;
    wiring.beginShutdown();
    await http.stop(() => graphqlWs.dispose(), config.shutdownTimeoutMs);
    // Requests are done; write what they queued before the database closes.
    await wiring.stop();
    await yoga.dispose();
  }

  return {
    fetch: (input, init) => Promise.resolve(yoga.fetch(input as URL, init ?? {})),
    services,
    async start() {
      const port = await http.listen(config.port, config.host);
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      const url = config.publicUrl ?? `http://${host}:${port}`;
      services.auth.listening(url);
      wiring.listening(url);
      return { url, port };
    },
    stop() {
      stopped ??= stopGracefully();
      return stopped;
    },
  };
}

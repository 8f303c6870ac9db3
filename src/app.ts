import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { PothosValidationError } from '@pothos/core';
import {
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  NoSchemaIntrospectionCustomRule,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { CloseCode, type ConnectionInitMessage } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  createYoga,
  maskError,
  useReadinessCheck,
  type Plugin,
  type YogaInitialContext,
} from 'graphql-yoga';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { AppServices, Context, Viewer } from './context.js';
import type { Database } from './db/client.js';
import type { Config } from './env.js';
import { isDatabaseUnavailable } from './db/errors.js';
import { createReadinessProbe } from './db/readiness.js';
import { badUserInput, databaseUnavailable } from './errors.js';
import { dashboardsRoutes } from './dashboards/index.js';
import { graphiqlOptions } from './server/graphiql.js';
import { IngestWriter } from './modules/ingest/writer.js';
import { createLiveHub } from './modules/live/hub.js';
import { createLiveServices } from './modules/live/live-services.js';
import { createPulsePubSub } from './lib/pubsub.js';
import { CLOSE_TRY_AGAIN_LATER } from './modules/limits/socket-guard.js';
import { createMetrics } from './server/prometheus.js';
import {
  useCredentialStreams,
  useRefuseCredentialsInUrl,
  hasCredentialInUrl,
} from './modules/auth/auth-plugins.js';
import { createAuthServices } from './modules/auth/auth-services.js';
import { authenticate, invalidCredentials } from './modules/auth/authenticate.js';
import { CLOSE_FORBIDDEN } from './modules/auth/socket-sessions.js';
import { usePageSizeLimit } from './modules/limits/page-size.js';
import { useIngestEndpoint } from './modules/ingest/ingest.http.js';
import { useJsonOnly } from './plugins/json-only.js';
import { createOperationAdmission } from './modules/limits/admission.js';
import { errorWithoutInternals, resultWithoutInternals } from './modules/limits/limit-errors.js';
import { createLimits } from './modules/limits/limits.js';
import { useRequireViewer } from './modules/auth/require-viewer.js';
import { useResponseSizeLimit } from './modules/limits/response-size.js';
import { schema } from './schema.js';

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

const GRAPHQL_PATH = '/graphql';
/** /ready answers within a second even with the database stalled. */
const READY_TIMEOUT_MS = 800;

/**
 * A non-GraphQL HTTP route (the OAuth authorization server, the dashboards' static files),
 * tried in order before yoga. Resolves true when it answered the request.
 */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * What a WebSocket connection carries between onConnect and each subscribe: the viewer, and the
 * ids of the subscription operations it started (pruned against graphql-ws's running ones).
 */
type WsExtra = { viewer?: Viewer; subscriptionIds?: Set<string> };

type ServerContext = { req?: IncomingMessage; extra?: WsExtra };

const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

export function buildApp({ config, database, logger }: AppDeps): App {
  const shutdown = new AbortController();
  const pubsub = createPulsePubSub();
  const limits = createLimits({ config, db: database.db, logger });
  const services: AppServices = {
    config,
    db: database.db,
    logger,
    pubsub,
    liveHub: createLiveHub({
      pubsub,
      signal: shutdown.signal,
      logger: logger.child({ component: 'live-hub' }),
    }),
    ingest: new IngestWriter(database.db, pubsub, logger.child({ component: 'ingest' }), {
      maxBatchEvents: config.ingest.batchEvents,
      flushIntervalMs: config.ingest.flushIntervalMs,
      maxQueuedEvents: config.ingest.maxQueuedEvents,
      concurrency: config.ingest.writers,
    }),
    shutdownSignal: shutdown.signal,
    auth: createAuthServices({ config, db: database.db, logger, signal: shutdown.signal }),
    limits: limits.service,
    ...createLiveServices({ config, db: database.db, pubsub, logger, signal: shutdown.signal }),
  };
  const admission = createOperationAdmission(config.limits.graphqlMaxConcurrentOperations);
  const metrics = createMetrics(database, admission);
  let accepting = true;
  let stopped: Promise<void> | undefined;
  const databaseReady = createReadinessProbe(() => database.ping(), READY_TIMEOUT_MS);

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    healthCheckEndpoint: '/health',
    maxRequestBodySize: config.limits.graphqlMaxBodyBytes,
    graphiql: config.graphiql
      ? graphiqlOptions(database.db, config.demo.enabled ? config.demo.apiKey : undefined)
      : false,
    renderGraphiQL,
    logging: logger,
    maskedErrors: {
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof PothosValidationError) return badUserInput(original.message);
        if (isDatabaseUnavailable(original)) return databaseUnavailable();
        const masked = maskError(error, message, false);
        if (masked !== error) logger.error({ err: original ?? error }, 'unexpected error');
        // yoga's request parser puts the JSON.parse message (which quotes the body) here. Its
        // presence is also what made yoga answer 400 rather than 200 to application/json, so
        // the status is kept by dropping `spec` (which would turn it into 200) with it.
        if (masked instanceof GraphQLError && 'originalError' in masked.extensions) {
          const { originalError: _, http, ...extensions } = masked.extensions;
          const { spec: __, ...status } = (http ?? {}) as Record<string, unknown>;
          return new GraphQLError(masked.message, {
            ...masked,
            extensions: { ...extensions, http: status },
          });
        }
        return masked;
      },
    },
    context: async (initial: YogaInitialContext & ServerContext): Promise<Context> => ({
      ...services,
      viewer:
        initial.extra?.viewer ??
        (await authenticate(services, initial.request?.headers.get('authorization'))),
    }),
    plugins: [
      metrics.plugin,
      useRefuseCredentialsInUrl(),
      useCredentialStreams(services.auth.sessions),
      useIngestEndpoint(services),
      useJsonOnly(GRAPHQL_PATH),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => accepting && (await databaseReady()),
      }),
      ...(config.introspection ? [] : [disableIntrospection]),
      useRequireViewer(),
      usePageSizeLimit(config.limits.maxPageSize),
      ...limits.plugins,
      useResponseSizeLimit(config.limits.graphqlMaxResponseBytes),
      admission.plugin,
    ],
  });

  const routes: HttpRoute[] = [services.auth.route];
  const server: Server = createServer((req, res) => {
    void routeRequest(req, res);
  });

  async function routeRequest(req: IncomingMessage, res: ServerResponse) {
    try {
      for (const route of routes) if (await route(req, res)) return;
    } catch (error) {
      logger.error({ err: error, url: req.url }, 'route failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
      return;
    }
    await yoga(req, res);
  }
  const wss = new WebSocketServer({
    server,
    path: GRAPHQL_PATH,
    maxPayload: config.limits.wsMaxPayloadBytes,
  });
  const wsLogger = logger.child({ transport: 'graphql-ws' });
  wss.on('connection', (socket) => services.socketGuard.attach(socket));

  type EnvelopedRoot = {
    execute: (args: ExecutionArgs) => unknown;
    subscribe: (args: ExecutionArgs) => unknown;
  };

  const graphqlWs = useServer<ConnectionInitMessage['payload'], WsExtra>(
    {
      connectionInitWaitTimeout: config.limits.wsConnectionInitTimeoutMs,
      execute: (args) =>
        (args.rootValue as EnvelopedRoot).execute(args) as Promise<ExecutionResult>,
      subscribe: (args) =>
        (args.rootValue as EnvelopedRoot).subscribe(args) as Promise<ExecutionResult>,
      // A subscription refused at subscribe time (not yours, missing scope), and any operation
      // refused before it ran (cost, rate, answer size: errors and no data), should reach the
      // client as the protocol's `error` message, not as `next` followed by `complete`.
      onOperation: (_ctx, _id, _payload, args, result) => {
        // graphql-ws hands over the awaited result, though its type says otherwise.
        const outcome = result as unknown as ExecutionResult | AsyncIterable<ExecutionResult>;
        if (Symbol.asyncIterator in outcome || !outcome.errors?.length) return;
        const subscription =
          getOperationAST(args.document, args.operationName)?.operation === 'subscription';
        if (!subscription && outcome.data != null) return;
        const [first] = outcome.errors;
        return (async function* () {
          throw first;
        })();
      },
      // `extensions.http` sets the status line on HTTP (yoga strips it there); never sent here.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? resultWithoutInternals(result) : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map(errorWithoutInternals),
      onConnect: async (ctx) => {
        if (hasCredentialInUrl(ctx.extra.request.url)) return false;
        const authorization =
          ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization'];
        try {
          const viewer = await authenticate(
            services,
            typeof authorization === 'string' ? authorization : null,
          );
          if (!viewer) return false;
          ctx.extra.viewer = viewer;
          services.auth.sessions.trackSocket(viewer, ctx.extra.socket);
          return true;
        } catch (error) {
          if (error instanceof GraphQLError && error.extensions['code'] === 'SERVICE_UNAVAILABLE') {
            ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, 'Try again later');
            return false;
          }
          if (error instanceof GraphQLError) return false;
          wsLogger.error({ err: error }, 'connection authentication failed');
          ctx.extra.socket.close(CloseCode.InternalServerError, 'Internal server error');
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        if (services.socketGuard.subscribed(ctx.extra.socket)) return [floodError()];
        // Anything thrown here would close the socket with 4500 and drop every subscription on
        // it, so per-operation problems are returned as errors instead.
        try {
          const viewer = ctx.extra.viewer;
          // The credential may have died since the last sweep: no operation runs on a dead one.
          if (viewer && !(await services.auth.sessions.works(viewer))) {
            // After graphql-ws has sent the error, so the client learns why.
            setImmediate(() => ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden'));
            return [invalidCredentials()];
          }
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped(
            {
              ...ctx,
              req: ctx.extra.request,
              socket: ctx.extra.socket,
              extra: ctx.extra,
              params: payload,
            },
          );
          const document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          const refused = claimSubscriptionSlot(ctx, id, document, payload.operationName);
          if (refused) return [refused];
          return {
            schema,
            operationName: payload.operationName,
            document,
            variableValues: payload.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          if (isDatabaseUnavailable(error)) return [databaseUnavailable()];
          wsLogger.error({ err: error }, 'subscribe failed');
          return [
            new GraphQLError('Unexpected error.', {
              extensions: { code: 'INTERNAL_SERVER_ERROR' },
            }),
          ];
        }
      },
    },
    wss,
    config.limits.wsKeepAliveMs,
  );

  const maxSubscriptions = config.limits.wsMaxSubscriptionsPerSocket;
  // Never delivered in practice: the guard has already closed the socket with 1008.
  const floodError = () =>
    new GraphQLError('Too many subscribe messages on this connection.', {
      extensions: { code: 'RATE_LIMITED' },
    });

  /**
   * Caps the subscriptions a socket runs at once. graphql-ws lists every operation still
   * running in `ctx.subscriptions` (this one included, and it removes finished ones), so only
   * subscriptions still streaming count. Synchronous, so concurrent subscribes cannot overshoot.
   */
  function claimSubscriptionSlot(
    ctx: { subscriptions: Record<string, unknown>; extra: WsExtra },
    id: string,
    document: DocumentNode,
    operationName: string | null | undefined,
  ): GraphQLError | undefined {
    const ids = (ctx.extra.subscriptionIds ??= new Set());
    ids.delete(id); // a client may reuse the id of a finished operation
    if (getOperationAST(document, operationName)?.operation !== 'subscription') return undefined;
    for (const other of ids) if (!(other in ctx.subscriptions)) ids.delete(other);
    if (ids.size >= maxSubscriptions) {
      return new GraphQLError(
        `Too many subscriptions on this connection: at most ${maxSubscriptions} may run at once; complete one first.`,
        { extensions: { code: 'RATE_LIMITED', limit: maxSubscriptions } },
      );
    }
    ids.add(id);
    return undefined;
  }

  const app: App = {
    fetch: (input, init) => Promise.resolve(yoga.fetch(input as URL, init ?? {})),
    services,
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          const host =
            config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
          const url = config.publicUrl ?? `http://${host}:${port}`;
          services.auth.listening(url);
          resolve({ url, port });
        });
      }),
    stop() {
      stopped ??= stopGracefully();
      return stopped;
    },
  };

  async function stopGracefully() {
    accepting = false;
    shutdown.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets become idle as their in-flight requests finish; close them as they do.
    const reaper = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    await graphqlWs.dispose(); // closes every socket with 1001 Going Away
    const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    await closed;
    clearInterval(reaper);
    clearTimeout(deadline);
    // Requests are done; write what they queued before the database closes.
    await services.ingest.stop();
    await limits.service.stop();
    await services.notifier.stop();
    await yoga.dispose();
  }

  // Last, so the dashboards never shadow a route of the API's own.
  routes.push(...dashboardsRoutes(config, services.auth.builtIn));

  return app;
}

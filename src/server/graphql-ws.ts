import type { Server } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { CloseCode, type ConnectionInitMessage } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { isDatabaseUnavailable } from '../db/errors.js';
import { databaseUnavailable } from '../errors.js';
import { hasCredentialInUrl } from '../modules/auth/auth-plugins.js';
import { authenticate, invalidCredentials } from '../modules/auth/authenticate.js';
import { CLOSE_FORBIDDEN } from '../modules/auth/socket-sessions.js';
import type { Viewer } from '../modules/auth/viewer.js';
import { errorWithoutInternals, resultWithoutInternals } from '../modules/limits/limit-errors.js';
import { CLOSE_TRY_AGAIN_LATER } from '../modules/limits/socket-guard.js';
import type { AppServices } from '../services.js';
import { GRAPHQL_PATH, type PulseYoga } from './yoga.js';

/**
 * What a WebSocket connection carries between onConnect and each subscribe: the viewer, and the
 * ids of the subscription operations it started (pruned against graphql-ws's running ones).
 */
type WsExtra = { viewer?: Viewer; subscriptionIds?: Set<string> };

type EnvelopedRoot = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

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
  maxSubscriptions: number,
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

/**
 * The graphql-ws transport on /graphql: authenticates at connection_init, re-checks the
 * credential before every operation, and runs each one through yoga's envelop so the same
 * plugins (auth, limits) apply as over HTTP. Returns the disposer that closes every socket
 * with 1001 Going Away.
 */
export function attachGraphqlWs(deps: { server: Server; yoga: PulseYoga; services: AppServices }): {
  dispose(): void | Promise<void>;
} {
  const { server, yoga, services } = deps;
  const { config } = services;
  const maxSubscriptions = config.limits.wsMaxSubscriptionsPerSocket;
  const wss = new WebSocketServer({
    server,
    path: GRAPHQL_PATH,
    maxPayload: config.limits.wsMaxPayloadBytes,
  });
  const wsLogger = services.logger.child({ transport: 'graphql-ws' });
  wss.on('connection', (socket) => services.socketGuard.attach(socket));

  return useServer<ConnectionInitMessage['payload'], WsExtra>(
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
          const refused = claimSubscriptionSlot(
            maxSubscriptions,
            ctx,
            id,
            document,
            payload.operationName,
          );
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
}

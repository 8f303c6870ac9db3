import type { IncomingMessage } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import {
  createYoga,
  maskError,
  useReadinessCheck,
  type Plugin,
  type YogaInitialContext,
  type YogaServerInstance,
} from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Database } from '../db/client.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { createReadinessProbe } from '../db/readiness.js';
import { badUserInput, databaseUnavailable } from '../errors.js';
import { useCredentialStreams, useRefuseCredentialsInUrl } from '../modules/auth/auth-plugins.js';
import { authenticate } from '../modules/auth/authenticate.js';
import { useRequireViewer } from '../modules/auth/require-viewer.js';
import type { Viewer } from '../modules/auth/viewer.js';
import { useExportDownloads } from '../modules/export/download.http.js';
import { useIngestEndpoint } from '../modules/ingest/ingest.http.js';
import { usePageSizeLimit } from '../modules/limits/page-size.js';
import { useResponseSizeLimit } from '../modules/limits/response-size.js';
import { useJsonOnly } from './json-only.js';
import { schema } from '../schema.js';
import type { AppServices } from '../services.js';
import { graphiqlOptions } from './graphiql.js';

export const GRAPHQL_PATH = '/graphql';
/** /ready answers within a second even with the database stalled. */
const READY_TIMEOUT_MS = 800;

/** What the transports add to yoga's context: the Node request, and a socket's viewer. */
export type ServerContext = { req?: IncomingMessage; extra?: { viewer?: Viewer } };

export type PulseYoga = YogaServerInstance<ServerContext, Context>;

const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

export function createPulseYoga(deps: {
  services: AppServices;
  database: Database;
  /** Plugins that observe every request first (Prometheus). */
  first: Plugin[];
  /** The limit plugins (persisted documents, armor, cost, rate). */
  limits: Plugin[];
  /** At most N operations execute at once (wraps execution, so it goes last). */
  admission: Plugin;
  /** False once shutdown began: /ready then answers 503. */
  accepting: () => boolean;
}): PulseYoga {
  const { services, database } = deps;
  const { config, logger } = services;
  const databaseReady = createReadinessProbe(() => database.ping(), READY_TIMEOUT_MS);
  return createYoga<ServerContext, Context>({
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
      ...deps.first,
      useRefuseCredentialsInUrl(),
      useCredentialStreams(services.auth.sessions),
      useIngestEndpoint(services),
      useExportDownloads(services.exports),
      useJsonOnly(GRAPHQL_PATH),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          if (!(deps.accepting() && (await databaseReady()))) return false;
          // Details for operators; a slow or failed count never makes the instance unready.
          const outbox = await Promise.race([
            services.webhooks.depth(),
            new Promise<null>((resolve) => setTimeout(resolve, READY_TIMEOUT_MS, null).unref()),
          ]);
          return outbox
            ? Response.json({ status: 'ready', details: { webhookOutbox: outbox } })
            : true;
        },
      }),
      ...(config.introspection ? [] : [disableIntrospection]),
      useRequireViewer(),
      usePageSizeLimit(config.limits.maxPageSize),
      ...deps.limits,
      useResponseSizeLimit(config.limits.graphqlMaxResponseBytes),
      deps.admission,
    ],
  });
}

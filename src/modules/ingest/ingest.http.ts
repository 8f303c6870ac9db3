import type { Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import type { AuthenticateDeps } from '../auth/authenticate.js';
import type { IngestWriter } from './writer.js';
import { isDatabaseUnavailable } from '../../db/errors.js';
import {
  databaseUnavailable,
  problemResponse,
  problemFromError,
  WWW_AUTHENTICATE,
} from '../../errors.js';
import { PLATFORMS, type Platform } from '../../db/schema.js';
import { authenticate } from '../auth/authenticate.js';
import { uuidFromGlobalId } from '../common/global-id.js';
import { metricFromName } from '../common/metric-keys.js';
import {
  eventTarget,
  recordMetrics,
  type EventTarget,
  type MetricEventInput,
} from './ingest.service.js';
import { IngestOverloadedError, IngestStoppedError } from './writer.js';

export const INGEST_PATH = '/ingest';
const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/ndjson'];

const isPlatform = (value: unknown): value is Platform =>
  typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value.toLowerCase());

function targetOf(item: Record<string, unknown>): EventTarget | null {
  const raw = (key: string) => item[key] !== undefined && item[key] !== null;
  const publicationId = raw('publication')
    ? uuidFromGlobalId(item['publication'], 'Publication')
    : null;
  const videoId = raw('video') ? uuidFromGlobalId(item['video'], 'Video') : null;
  const platform = raw('platform')
    ? isPlatform(item['platform'])
      ? (item['platform'].toLowerCase() as Platform)
      : undefined
    : null;
  const postId = item['platformPostId'];
  const platformPostId = typeof postId === 'string' && postId !== '' ? postId : null;
  // A field that is present but unreadable makes the event invalid rather than silently absent.
  if (
    (raw('publication') && !publicationId) ||
    (raw('video') && !videoId) ||
    platform === undefined
  )
    return null;
  if (raw('platformPostId') && !platformPostId) return null;
  return eventTarget({ publicationId, videoId, platform, platformPostId });
}

const numberOrNull = (value: unknown) =>
  value === undefined || value === null ? null : typeof value === 'number' ? value : NaN;

/** Reads one item loosely; anything wrong surfaces as that item's INVALID error downstream. */
function toInput(item: unknown): MetricEventInput {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { id: '', target: null, metric: null, delta: null, total: null, occurredAt: null };
  }
  const record = item as Record<string, unknown>;
  const occurredAt = record['occurredAt'];
  return {
    id: typeof record['id'] === 'string' ? record['id'] : '',
    target: targetOf(record),
    metric: typeof record['metric'] === 'string' ? metricFromName(record['metric']) : null,
    delta: numberOrNull(record['delta']),
    total: numberOrNull(record['total']),
    occurredAt:
      occurredAt === undefined || occurredAt === null
        ? null
        : new Date(typeof occurredAt === 'string' ? occurredAt : NaN),
  };
}

async function readBody(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (request.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseItems(body: string, ndjson: boolean): unknown[] | null {
  if (ndjson) {
    return body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          return null;
        }
      });
  }
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

type IngestEndpointDeps = AuthenticateDeps & { ingest: IngestWriter };

async function handle(request: Request, services: IngestEndpointDeps): Promise<Response> {
  const { config } = services;
  if (request.method !== 'POST')
    return problemResponse(405, 'METHOD_NOT_ALLOWED', 'Use POST.', { allow: 'POST' });
  let viewer;
  try {
    viewer = await authenticate(services, request.headers.get('authorization'));
  } catch (error) {
    // Bad credentials answer 401; an unreachable token issuer answers 503, never a silent 401.
    if (error instanceof GraphQLError) return problemFromError(error);
    throw error;
  }
  if (!viewer) {
    return problemResponse(401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <api key>.', {
      'www-authenticate': WWW_AUTHENTICATE,
    });
  }
  if (!viewer.scopes.has('write:metrics')) {
    return problemResponse(403, 'INSUFFICIENT_SCOPE', 'This needs the "write:metrics" scope.');
  }
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  const ndjson = NDJSON_TYPES.includes(type);
  if (!ndjson && type !== 'application/json') {
    return problemResponse(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send application/json (an array) or application/x-ndjson.',
    );
  }
  const body = await readBody(request, config.ingest.maxBodyBytes);
  if (body === null)
    return problemResponse(
      413,
      'PAYLOAD_TOO_LARGE',
      `The body exceeds ${config.ingest.maxBodyBytes} bytes.`,
    );
  const items = parseItems(body, ndjson);
  if (items === null)
    return problemResponse(
      400,
      'BAD_USER_INPUT',
      'The body must be a JSON array of events (or NDJSON).',
    );
  if (items.length > config.ingest.maxEventsPerRequest) {
    return problemResponse(
      413,
      'PAYLOAD_TOO_LARGE',
      `At most ${config.ingest.maxEventsPerRequest} events per request.`,
    );
  }
  try {
    const report = await recordMetrics(
      services.db,
      services.ingest,
      viewer.user.id,
      items.map(toInput),
      config.ingest,
    );
    const { accepted, duplicates, rejected } = report;
    return Response.json({ accepted, duplicates, rejected });
  } catch (error) {
    if (error instanceof IngestOverloadedError || error instanceof IngestStoppedError) {
      return problemResponse(503, 'SERVICE_UNAVAILABLE', error.message, { 'retry-after': '1' });
    }
    throw error;
  }
}

/** POST /ingest: bulk metric events, with the same semantics as the recordMetrics mutation. */
export function useIngestEndpoint(services: IngestEndpointDeps): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== INGEST_PATH) return;
      return handle(request, services).then(endResponse, (error: unknown) => {
        if (isDatabaseUnavailable(error))
          return endResponse(problemFromError(databaseUnavailable()));
        services.logger.error({ err: error }, 'ingest request failed');
        endResponse(problemResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'));
      });
    },
  };
}

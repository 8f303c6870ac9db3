import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { OperationAdmission } from '../modules/limits/admission.js';

const ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics']);

/** Prometheus metrics of one app instance (its own registry, so tests can run several). */
export function createMetrics(
  database: Database,
  admission: Pick<OperationAdmission, 'running' | 'waiting'>,
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pulse_' });
  const requests = new Counter({
    name: 'pulse_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pulse_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const activeSubscriptions = new Gauge({
    name: 'pulse_active_subscriptions',
    help: 'GraphQL subscriptions currently streaming (WebSocket and SSE).',
    registers: [registry],
  });
  new Gauge({
    name: 'pulse_graphql_operations_running',
    help: 'Queries and mutations executing now (at most GRAPHQL_MAX_CONCURRENT_OPERATIONS).',
    registers: [registry],
    collect() {
      this.set(admission.running());
    },
  });
  new Gauge({
    name: 'pulse_graphql_operations_waiting',
    help: 'Queries and mutations waiting for a turn to execute.',
    registers: [registry],
    collect() {
      this.set(admission.waiting());
    },
  });
  new Counter({
    name: 'pulse_sql_statements_total',
    help: 'SQL statements executed.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(database.stats.statements);
    },
  });

  const started = new WeakMap<Request, number>();

  const plugin: Plugin = {
    onRequest({ request, url, endResponse }) {
      if (url.pathname === '/metrics' && request.method === 'GET') {
        return registry
          .metrics()
          .then((body) =>
            endResponse(new Response(body, { headers: { 'content-type': registry.contentType } })),
          );
      }
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const { pathname } = new URL(request.url);
      const route = ROUTES.has(pathname) ? pathname : 'other';
      requests.inc({ method: request.method, route, status: String(response.status) });
      const start = started.get(request);
      if (start !== undefined)
        latency.observe({ method: request.method, route }, (performance.now() - start) / 1000);
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          activeSubscriptions.inc();
          return { onEnd: () => void activeSubscriptions.dec() };
        },
      };
    },
  };

  return { registry, plugin };
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { OperationAdmission } from '../modules/limits/admission.js';
import type { WebhookServices } from '../modules/webhook/webhook.services.js';

const ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics']);

/** Prometheus metrics of one app instance (its own registry, so tests can run several). */
export function createMetrics(
  database: Database,
  admission: Pick<OperationAdmission, 'running' | 'waiting'>,
  webhooks?: Pick<WebhookServices, 'worker' | 'depth'>,
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

  if (webhooks) webhookMetrics(registry, webhooks);

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

/** Webhook attempts by outcome and their latency on this instance; the outbox for all. */
function webhookMetrics(registry: Registry, webhooks: Pick<WebhookServices, 'worker' | 'depth'>) {
  const attempts = new Counter({
    name: 'pulse_webhook_attempts_total',
    help: 'Webhook delivery attempts made by this instance, by result: succeeded, retrying (failed, another attempt is scheduled), failed (given up), gone (410: endpoint disabled).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'pulse_webhook_attempt_duration_seconds',
    help: 'Duration of webhook attempts (request to end of response, or failure).',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pulse_webhook_delivery_latency_seconds',
    help: 'From an event to its successful delivery (includes retries).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300, 3600, 36_000, 100_000],
    registers: [registry],
  });
  new Gauge({
    name: 'pulse_webhook_outbox',
    help: 'Webhook deliveries waiting for an attempt (all instances): pending in total, and due now.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const value = await webhooks.depth();
      if (!value) return;
      this.set({ state: 'pending' }, value.pending);
      this.set({ state: 'due' }, value.due);
    },
  });
  webhooks.worker.addObserver({
    attempt(outcome, seconds, retry) {
      attempts.inc({ result: outcome === 'failed' ? (retry ? 'retrying' : 'failed') : outcome });
      duration.observe(seconds);
    },
    delivered: (seconds) => latency.observe(seconds),
  });
}

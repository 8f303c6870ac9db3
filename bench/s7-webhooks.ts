import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { webhookEndpointTable } from '../src/db/schema.js';
import { SCOPES } from '../src/modules/auth/scopes.js';
import { createApiKey } from '../src/modules/api-key/api-key.service.js';
import { generateWebhookSecret, SecretBox } from '../src/modules/webhook/secrets.js';
import type { BenchContext } from './lib/context.js';
import type { ScenarioResult } from './lib/report.js';
import { median, percentile } from './lib/stats.js';
import { graphql, startPulse } from './lib/target.js';
import { sleep } from './lib/proc.js';

/**
 * S7: events fanned out to many endpoints on a local receiver. Two phases per run:
 *  - paced: events at `deliveriesPerSecond / endpoints` a second; event-to-delivery p99;
 *  - burst: every event at once; deliveries/s until the last arrives, against a bare loop
 *    POSTing the same bodies with fetch at the same concurrency (the peer).
 * Each event is an `api_key.rotated` (a real mutation, committed with its outbox rows).
 */
const SETTINGS = {
  full: { endpoints: 100, events: 100, deliveriesPerSecond: 1000, concurrency: 100 },
  quick: { endpoints: 100, events: 20, deliveriesPerSecond: 1000, concurrency: 100 },
};

interface Arrival {
  path: string;
  id: string;
  /** ms from the event's timestamp to its arrival here. */
  latencyMs: number;
  at: number;
}

function receiver(): Promise<{
  server: Server;
  url: string;
  arrivals: Arrival[];
  bodies: Map<string, { headers: Record<string, string>; body: string }>;
}> {
  const arrivals: Arrival[] = [];
  const bodies = new Map<string, { headers: Record<string, string>; body: string }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      if (id && req.url !== '/peer') {
        const timestamp = Date.parse((JSON.parse(body) as { timestamp: string }).timestamp);
        arrivals.push({ path: req.url ?? '', id, latencyMs: at - timestamp, at });
        const key = `${req.url}|${id}`;
        if (!bodies.has(key)) {
          const headers: Record<string, string> = {};
          for (const name of [
            'content-type',
            'webhook-id',
            'webhook-timestamp',
            'webhook-signature',
          ])
            headers[name] = String(req.headers[name]);
          bodies.set(key, { headers, body });
        }
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        arrivals,
        bodies,
      }),
    ),
  );
}

const unique = (arrivals: readonly Arrival[]) =>
  new Set(arrivals.map((a) => `${a.path}|${a.id}`)).size;

async function until(check: () => boolean, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** The peer: the same requests, POSTed by a bare loop with fetch, `concurrency` at a time. */
async function fetchLoop(
  url: string,
  requests: { headers: Record<string, string>; body: string }[],
  concurrency: number,
) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const response = await fetch(`${url}/peer`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        await response.arrayBuffer();
      }
    }),
  );
  return requests.length / ((performance.now() - started) / 1000);
}

export async function s7Webhooks(ctx: BenchContext): Promise<ScenarioResult> {
  const s = ctx.quick ? SETTINGS.quick : SETTINGS.full;
  const started = performance.now();
  const sink = await receiver();
  const secretKey = randomBytes(32);
  // Endpoints are written directly (an account may create 20 through the API; the bench wants
  // 100), sealed with the key the server is given.
  const database = await ctx.db.open();
  let rotatingKey: string;
  try {
    const box = await SecretBox.open(database.db, secretKey);
    await database.db.delete(webhookEndpointTable);
    await database.db.insert(webhookEndpointTable).values(
      Array.from({ length: s.endpoints }, (_, i) => ({
        ownerId: ctx.prepared.ownerId,
        url: `${sink.url}/e${i}`,
        events: ['api_key.rotated'],
        scopes: [...SCOPES],
        secret: box.seal(generateWebhookSecret()),
      })),
    );
    const created = await createApiKey(database.db, {
      ownerId: ctx.prepared.ownerId,
      name: 'rotated by S7',
      scopes: ['read:user'],
    });
    rotatingKey = created.apiKey.id;
  } finally {
    await database.close();
  }
  const pulse = await startPulse(ctx.db, ctx.prepared, {
    nodeArgs: ctx.pulseNodeArgs,
    env: {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_SECRET_KEY: secretKey.toString('base64'),
      WEBHOOK_CONCURRENCY: String(s.concurrency),
    },
  });
  const { encodeGlobalID } = await import('@pothos/plugin-relay');
  const keyId = encodeGlobalID('ApiKey', rotatingKey);
  const emit = async () => {
    const response = await graphql(
      pulse.url,
      ctx.prepared.apiKey,
      `
        mutation ($id: ID!) {
          rotateApiKey(input: { id: $id }) {
            userErrors {
              code
            }
          }
        }
      `,
      { id: keyId },
    );
    if (response.errors || response.data.rotateApiKey.userErrors.length)
      throw new Error(JSON.stringify(response.errors ?? response.data.rotateApiKey.userErrors));
  };
  const runs: {
    paced: { p50: number; p99: number; delivered: number; expected: number };
    burst: { rate: number; peer: number; delivered: number; expected: number };
  }[] = [];
  try {
    for (let run = 0; run < ctx.settings.runs; run++) {
      // Paced: the offered load is deliveriesPerSecond.
      sink.arrivals.length = 0;
      const gapMs = (1000 * s.endpoints) / s.deliveriesPerSecond;
      const t0 = performance.now();
      for (let i = 0; i < s.events; i++) {
        await emit();
        const wait = t0 + (i + 1) * gapMs - performance.now();
        if (wait > 0) await sleep(wait);
      }
      const expected = s.events * s.endpoints;
      await until(() => unique(sink.arrivals) >= expected, 120_000);
      const latencies = sink.arrivals.map((a) => a.latencyMs);
      const paced = {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        delivered: unique(sink.arrivals),
        expected,
      };

      // Burst: the events back to back (one key's rotations cannot overlap), then until the last
      // delivery.
      sink.arrivals.length = 0;
      const b0 = Date.now();
      for (let i = 0; i < s.events; i++) await emit();
      await until(() => unique(sink.arrivals) >= expected, 300_000);
      const last = Math.max(...sink.arrivals.map((a) => a.at));
      const rate = unique(sink.arrivals) / ((last - b0) / 1000);
      const requests = [...sink.bodies.values()].slice(-expected);
      const peer = await fetchLoop(sink.url, requests, s.concurrency);
      runs.push({ paced, burst: { rate, peer, delivered: unique(sink.arrivals), expected } });
      ctx.log(
        `  run ${run + 1}: p99 ${paced.p99.toFixed(0)} ms at ${s.deliveriesPerSecond}/s; burst ${rate.toFixed(0)}/s vs fetch ${peer.toFixed(0)}/s`,
      );
    }
  } finally {
    await pulse.process.stop();
    // Later scenarios' servers would otherwise poll for these endpoints' deliveries.
    const cleanup = await ctx.db.open();
    await cleanup.db.delete(webhookEndpointTable).finally(() => cleanup.close());
    await new Promise<void>((resolve) => {
      sink.server.closeAllConnections();
      sink.server.close(() => resolve());
    });
  }
  const p99 = median(runs.map((r) => r.paced.p99));
  const rate = median(runs.map((r) => r.burst.rate));
  const peer = median(runs.map((r) => r.burst.peer));
  const lost = runs.some(
    (r) => r.paced.delivered < r.paced.expected || r.burst.delivered < r.burst.expected,
  );
  return {
    id: 'S7',
    title: 'webhook fan-out',
    profile: ctx.db.profile,
    ok: true,
    rows: [
      {
        metric: `event-to-delivery p99 at ${s.deliveriesPerSecond.toLocaleString('en-US')} deliveries/s`,
        unit: 'ms',
        pulse: p99,
        target: '≤ 1,000 ms',
        met: p99 <= 1000,
      },
      {
        metric: 'deliveries/s (burst)',
        unit: '',
        pulse: rate,
        peer: { name: 'fetch loop', value: peer },
        ratio: rate / peer,
        target: '≥ 0.5× a bare fetch loop',
        met: rate / peer >= 0.5,
      },
      {
        metric: 'zero lost',
        unit: '',
        pulse: lost ? 0 : 1,
        target: 'every delivery arrives',
        met: !lost,
      },
    ],
    notes: [
      `${s.events} events (api_key.rotated mutations, each committed with its outbox rows) × ${s.endpoints} endpoints on a local receiver = ${(s.events * s.endpoints).toLocaleString('en-US')} signed deliveries per phase; WEBHOOK_CONCURRENCY=${s.concurrency}. Paced: one event every ${((1000 * s.endpoints) / s.deliveriesPerSecond).toFixed(0)} ms; latency = arrival − the event's timestamp. Burst: all events at once; deliveries/s from the first mutation to the last arrival. The peer POSTs the same ${(s.events * s.endpoints).toLocaleString('en-US')} bodies and headers with Node's fetch, ${s.concurrency} at a time (no database, no signing). Zero lost: every (endpoint, webhook-id) arrived.`,
    ],
    runs,
    seconds: (performance.now() - started) / 1000,
  };
}

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { METRIC_COLUMNS } from '../modules/common/metric-keys.js';

const USAGE = `Usage: npm run simulate -- [options]

Streams realistic live metric traffic into a running Pulse server through POST /ingest, for the
videos of the key's owner (discovered through GraphQL; the key needs read:videos and
write:metrics), then prints a summary.

  --url <url>           server base URL (default $PULSE_URL or http://127.0.0.1:4000)
  --key <key>           API key (default $PULSE_API_KEY)
  --rate <n>            events per second on average, Poisson arrivals (default 200)
  --duration <s>        seconds to run; 0 = until Ctrl-C (default 30)
  --videos <n>          how many of the newest published videos get traffic (default 10)
  --mix <list>          metric weights (default views=70,impressions=10,watch_seconds=8,likes=6,comments=2,shares=2,saves=1,clicks=1)
  --duplicates <f>      fraction of requests resent as a client retry would (same ids; default 0.02)
  --tick <ms>           how often a request is sent (default 100)
  --concurrency <n>     requests in flight at most (default 4)
  --seed <n>            random seed, for a reproducible event stream
  --json                print the summary as one JSON line
  --quiet               no progress lines on stderr`;

// The ingest API's metric names are the metric columns (watch_seconds).
const METRICS = METRIC_COLUMNS;
type Metric = string;
const DEFAULT_MIX =
  'views=70,impressions=10,watch_seconds=8,likes=6,comments=2,shares=2,saves=1,clicks=1';
/** The server's per-request limit (POST /ingest). */
const MAX_EVENTS_PER_REQUEST = 10_000;
const MAX_ATTEMPTS = 8;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '30' },
    videos: { type: 'string', default: '10' },
    mix: { type: 'string', default: DEFAULT_MIX },
    duplicates: { type: 'string', default: '0.02' },
    tick: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function number(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max)
    fail(`--${name} must be a number between ${min} and ${max}`);
  return parsed;
}

const baseUrl = (values.url ?? process.env['PULSE_URL'] ?? 'http://127.0.0.1:4000').replace(
  /\/+$/,
  '',
);
const key = values.key ?? process.env['PULSE_API_KEY'] ?? fail(`--key is required\n\n${USAGE}`);
const rate = number('rate', values.rate, 0.1, 1_000_000);
const durationMs = number('duration', values.duration, 0) * 1000;
const videoCount = Math.floor(number('videos', values.videos, 1, 100));
const duplicateShare = number('duplicates', values.duplicates, 0, 1);
const tickMs = Math.floor(number('tick', values.tick, 10, 60_000));
const concurrency = Math.floor(number('concurrency', values.concurrency, 1, 256));

const mix = values.mix.split(',').map((part) => {
  const [name, weight] = part.split('=');
  const metric = name?.trim().toLowerCase() as Metric;
  if (!METRICS.includes(metric))
    fail(`--mix: unknown metric ${name}; known: ${METRICS.join(', ')}`);
  return { metric, weight: number('mix', weight ?? '', 0) };
});
const mixTotal = mix.reduce((sum, entry) => sum + entry.weight, 0);
if (mixTotal <= 0) fail('--mix needs a positive weight');

/** mulberry32: small, fast, seedable; the stream of events is reproducible with --seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(values.seed !== undefined ? number('seed', values.seed, 0) : Date.now());

/** Poisson-distributed count with mean `lambda` (Knuth below 30, normal approximation above). */
function poisson(lambda: number): number {
  if (lambda > 30) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal));
  }
  const limit = Math.exp(-lambda);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count += 1;
  return count;
}

function pickMetric(): Metric {
  let roll = random() * mixTotal;
  for (const entry of mix) {
    roll -= entry.weight;
    if (roll < 0) return entry.metric;
  }
  return mix[mix.length - 1]!.metric;
}

/** What one event of a metric typically carries. */
function deltaFor(metric: Metric): number {
  switch (metric) {
    case 'views':
      return 1 + Math.floor(random() * 3);
    case 'watch_seconds':
      return 5 + Math.floor(random() * 175);
    case 'impressions':
    case 'reach':
      return 1 + Math.floor(random() * 20);
    default:
      return 1;
  }
}

interface Target {
  video: string;
  title: string;
  publications: string[];
  weight: number;
}

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length || !body.data)
    fail(`GraphQL request failed (${response.status}): ${body.errors?.[0]?.message ?? ''}`);
  return body.data;
}

async function discover(): Promise<Target[]> {
  const data = await graphql<{
    videos: {
      edges: { node: { id: string; title: string; publications: { id: string }[] } }[];
    };
  }>(
    `
      query SimulateTargets($first: Int!) {
        videos(
          first: $first
          filter: { status: [PUBLISHED] }
          orderBy: { field: PUBLISHED_AT, direction: DESC }
        ) {
          edges {
            node {
              id
              title
              publications {
                id
              }
            }
          }
        }
      }
    `,
    { first: videoCount },
  );
  const videos = data.videos.edges
    .map(({ node }) => node)
    .filter((video) => video.publications.length > 0);
  if (videos.length === 0) fail('The key owner has no published videos to send traffic to.');
  // A few videos get most of the traffic, as on real platforms (Zipf-like popularity).
  return videos.map((video, rank) => ({
    video: video.id,
    title: video.title,
    publications: video.publications.map((publication) => publication.id),
    weight: 1 / Math.pow(rank + 1, 1.1),
  }));
}

interface IngestEvent {
  id: string;
  publication: string;
  metric: Metric;
  delta: number;
  occurredAt: string;
}

const summary = {
  url: baseUrl,
  videos: 0,
  seconds: 0,
  /** Distinct events made. */
  events: 0,
  /** Events transmitted, resends included. */
  sent: 0,
  requests: 0,
  accepted: 0,
  duplicates: 0,
  rejected: 0,
  /** Requests retried after 503 Service Unavailable (queue full) or 429 (rate limited). */
  retries503: 0,
  retries429: 0,
  /** Requests resent after a network error or 5xx (indeterminate: maybe stored). */
  retriesIndeterminate: 0,
  /** Requests given up on (their events may or may not be stored). */
  failed: 0,
  /** Sum of the deltas stored by this run, per metric: what the counters rose by. */
  stored: Object.fromEntries(METRICS.map((metric) => [metric, 0])) as Record<Metric, number>,
  /** Events stored by this run: accepted, plus those an indeterminate attempt had stored. */
  storedEvents: 0,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000;
}

/** Sends one batch until it gets an answer; retries keep the ids, so nothing counts twice. */
async function send(batch: IngestEvent[], resend: boolean): Promise<void> {
  let indeterminate = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    summary.requests += 1;
    summary.sent += batch.length;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(batch),
      });
    } catch {
      indeterminate = true;
      summary.retriesIndeterminate += 1;
      await sleep(200 * attempt);
      continue;
    }
    if (response.status === 503 || response.status === 429) {
      await response.body?.cancel();
      if (response.status === 503) summary.retries503 += 1;
      else summary.retries429 += 1;
      await sleep(retryAfterMs(response));
      continue;
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      indeterminate = true;
      summary.retriesIndeterminate += 1;
      await sleep(200 * attempt);
      continue;
    }
    if (!response.ok) {
      const text = await response.text();
      fail(`POST /ingest answered ${response.status}: ${text.slice(0, 300)}`);
    }
    const answer = (await response.json()) as {
      accepted: number;
      duplicates: number;
      rejected: { index: number }[];
    };
    summary.accepted += answer.accepted;
    summary.duplicates += answer.duplicates;
    summary.rejected += answer.rejected.length;
    // A request is stored in one transaction: all of its valid events are new, or all were
    // stored before (a deliberate resend, or an earlier attempt whose answer was lost).
    const rejected = new Set(answer.rejected.map((item) => item.index));
    const valid = batch.filter((_, index) => !rejected.has(index));
    const newlyStored = answer.accepted === valid.length;
    const storedEarlier = indeterminate && !resend && answer.duplicates === valid.length;
    if (newlyStored || storedEarlier) {
      summary.storedEvents += valid.length;
      for (const event of valid)
        summary.stored[event.metric] = (summary.stored[event.metric] ?? 0) + event.delta;
    }
    return;
  }
  summary.failed += 1;
}

async function main() {
  const targets = await discover();
  summary.videos = targets.length;
  const totalWeight = targets.reduce((sum, target) => sum + target.weight, 0);
  const pickTarget = () => {
    let roll = random() * totalWeight;
    for (const target of targets) {
      roll -= target.weight;
      if (roll < 0) return target;
    }
    return targets[targets.length - 1]!;
  };

  const runId = randomBytes(4).toString('hex');
  let sequence = 0;
  let backlog: IngestEvent[] = [];
  const inFlight = new Set<Promise<void>>();
  let batches = 0;
  let stopping = false;
  const started = Date.now();
  process.once('SIGINT', () => (stopping = true));
  process.once('SIGTERM', () => (stopping = true));

  const launch = (batch: IngestEvent[], resend: boolean) => {
    const request = send(batch, resend).finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const progress = values.quiet
    ? undefined
    : setInterval(() => {
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        process.stderr.write(
          `${seconds}s  sent ${summary.sent}  accepted ${summary.accepted}  duplicates ${summary.duplicates}  rejected ${summary.rejected}  503 ${summary.retries503}  429 ${summary.retries429}\n`,
        );
      }, 1000);

  let nextTick = started;
  while (!stopping && (durationMs === 0 || Date.now() - started < durationMs)) {
    const count = poisson((rate * tickMs) / 1000);
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      const target = pickTarget();
      const metric = pickMetric();
      backlog.push({
        id: `sim-${runId}-${++sequence}`,
        publication: target.publications[Math.floor(random() * target.publications.length)]!,
        metric,
        delta: deltaFor(metric),
        // Platforms report with a little lag.
        occurredAt: new Date(now - Math.floor(random() * 2000)).toISOString(),
      });
    }
    summary.events += count;
    // While the server is slow, events wait here and go out together (bounded by the rate).
    while (backlog.length > 0 && inFlight.size < concurrency) {
      const batch = backlog.slice(0, MAX_EVENTS_PER_REQUEST);
      backlog = backlog.slice(batch.length);
      batches += 1;
      launch(batch, false);
      // Exactly the requested share of requests is sent twice, as a client whose answer was
      // lost would: the second copy must come back as duplicates.
      if (Math.floor(batches * duplicateShare) > Math.floor((batches - 1) * duplicateShare)) {
        const previous = inFlight.size > 0 ? [...inFlight].at(-1)! : Promise.resolve();
        const resent = previous.then(() => send(batch, true));
        const tracked = resent.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
    }
    nextTick += tickMs;
    await sleep(Math.max(0, nextTick - Date.now()));
  }
  while (backlog.length > 0) {
    const batch = backlog.slice(0, MAX_EVENTS_PER_REQUEST);
    backlog = backlog.slice(batch.length);
    launch(batch, false);
  }
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  if (progress) clearInterval(progress);
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;

  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(
      [
        `Simulated ${summary.seconds}s of traffic on ${summary.videos} videos at ${baseUrl}:`,
        `  events ${summary.events}, sent ${summary.sent} in ${summary.requests} requests`,
        `  accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${summary.rejected}`,
        `  retried: ${summary.retries503} after 503, ${summary.retries429} after 429, ${summary.retriesIndeterminate} after errors; failed ${summary.failed}`,
        `  stored: ${METRICS.filter((metric) => (summary.stored[metric] ?? 0) > 0)
          .map((metric) => `${metric} +${summary.stored[metric]}`)
          .join(', ')}`,
      ].join('\n') + '\n',
    );
  }
  process.exit(summary.failed > 0 ? 1 : 0);
}

await main();

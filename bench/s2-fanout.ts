import { WsLoad } from './load/ws-load.js';
import type { BenchContext } from './lib/context.js';
import {
  freePort,
  sleep,
  startNode,
  waitForOk,
  waitIdle,
  watchRss,
  type Child,
} from './lib/proc.js';
import type { Row, ScenarioResult } from './lib/report.js';
import { median } from './lib/stats.js';
import { graphql, startPulse } from './lib/target.js';

const SUBSCRIPTION = /* GraphQL */ `
  subscription Live($id: ID!, $ms: Int) {
    videoViewsUpdated(videoId: $id, minIntervalMs: $ms) {
      views
      delta
      viewsPerMinute
      at
    }
  }
`;

const now = () => performance.timeOrigin + performance.now();

interface Server {
  name: string;
  url: string;
  key: string;
  process: Child;
}

interface Video {
  id: string;
  platform: string;
}

async function publishedVideos(url: string, key: string, count: number): Promise<Video[]> {
  const response = await graphql<{
    videos: { edges: { node: { id: string; publications: { platform: string }[] } }[] };
  }>(
    url,
    key,
    `
      query ($n: Int!) {
        videos(first: $n, filter: { status: [PUBLISHED] }) {
          edges {
            node {
              id
              publications {
                platform
              }
            }
          }
        }
      }
    `,
    { n: count },
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  const videos = response
    .data!.videos.edges.filter((edge) => edge.node.publications.length > 0)
    .map((edge) => ({ id: edge.node.id, platform: edge.node.publications[0]!.platform }));
  if (videos.length < count) throw new Error(`only ${videos.length} published videos`);
  return videos;
}

/** POSTs one VIEWS +1 event per video; the send time is taken just before the request. */
async function tick(server: Server, videos: Video[], tag: string): Promise<number> {
  const body = JSON.stringify(
    videos.map((video, index) => ({
      id: `${tag}-${index}`,
      video: video.id,
      platform: video.platform,
      metric: 'VIEWS',
      delta: 1,
    })),
  );
  const sent = now();
  const response = await fetch(`${server.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    body,
  });
  const result = (await response.json()) as { accepted?: number };
  if (!response.ok || result.accepted !== videos.length) {
    throw new Error(`ingest tick refused: ${response.status} ${JSON.stringify(result)}`);
  }
  return sent;
}

async function startWsPeer(): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = startNode('bench/peers/ws-broadcast-server.ts', {
    env: { PORT: String(port) },
  });
  await waitForOk(`http://127.0.0.1:${port}/ready`, 30_000, child);
  return Object.assign(child, { url: `http://127.0.0.1:${port}` });
}

const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}/graphql`;

/**
 * S2 (fan-out under steady ingest), S2b (one update to every subscriber of one video) and S2c
 * (connect storm, then churn), Pulse and the plain `ws` peer alternating, the subscribers in
 * worker threads of this process.
 */
export async function s2FanOut(ctx: BenchContext): Promise<ScenarioResult[]> {
  const { settings } = ctx;
  const results: ScenarioResult[] = [];
  const pulse = await startPulse(ctx.db, ctx.prepared, {
    nodeArgs: ctx.pulseNodeArgs,
    env: { WS_CONNECTION_INIT_TIMEOUT_MS: '30000' },
  });
  let peer: (Child & { url: string }) | undefined;
  const load = new WsLoad(settings.s2.threads);
  try {
    peer = await startWsPeer();
    const servers: Server[] = [
      { name: 'Pulse', url: pulse.url, key: ctx.prepared.apiKey, process: pulse.process },
      { name: 'plain ws', url: peer.url, key: 'none', process: peer },
    ];
    const videos = await publishedVideos(pulse.url, ctx.prepared.apiKey, settings.s2.videos);
    const runTag = `s2-${Date.now().toString(36)}`;

    // S2: steady ingest, subscribers spread over the videos.
    {
      const started = performance.now();
      const s = settings.s2;
      const runs: Record<string, unknown[]> = {};
      const subs = Array.from({ length: s.subscribers }, (_, i) => ({
        videoIdx: i % videos.length,
        videoId: videos[i % videos.length]!.id,
      }));
      const notes: string[] = [];
      // Full runs start with an untimed round per server (JIT, connection pools, caches).
      for (let run = ctx.quick ? 0 : -1; run < settings.runs; run++) {
        for (const server of servers) {
          const opened = await load.open({
            url: wsUrl(server.url),
            key: server.key,
            query: SUBSCRIPTION,
            intervalMs: s.intervalMs,
            subs,
            concurrency: 200,
          });
          if (opened.failed > 0)
            notes.push(`${server.name}: ${opened.failed} subscriptions failed to open`);
          await load.mark();
          const rss = watchRss(server.process.pid);
          const sendTimes: number[] = [];
          const first = now();
          const posts: Promise<void>[] = [];
          for (let t = 1; t <= s.ticks; t++) {
            const due = first + (t - 1) * s.tickMs;
            await sleep(Math.max(0, due - now()));
            posts.push(
              tick(server, videos, `${runTag}-${run}-${server.name}-${t}`).then((sent) => {
                sendTimes[t] = sent;
              }),
            );
          }
          await Promise.all(posts);
          await sleep(s.intervalMs + (ctx.quick ? 1_000 : 3_000));
          const report = await load.report(sendTimes);
          const memory = rss.stop();
          await load.close();
          await waitIdle(server.process.pid);
          const windowSeconds = (s.ticks * s.tickMs) / 1000;
          const result = {
            ...report,
            opened,
            msgsPerSecond: report.messages / windowSeconds,
            expected: opened.ok * s.ticks,
            rssPeakMb: memory.peakMb,
          };
          if (run >= 0) (runs[server.name] ??= []).push(result);
          ctx.log(
            `  S2 ${server.name} ${run < 0 ? 'warm-up' : `run ${run + 1}`}: ${result.msgsPerSecond.toFixed(0)} msgs/s (${report.messages}/${result.expected}), p50 ${report.p50} ms p99 ${report.p99} ms, RSS ${memory.peakMb.toFixed(0)} MB`,
          );
        }
      }
      type R = {
        msgsPerSecond: number;
        p50: number;
        p99: number;
        rssPeakMb: number;
        errors: number;
      };
      const med = (name: string, pick: (r: R) => number) => median((runs[name] as R[]).map(pick));
      const pulseMsgs = med('Pulse', (r) => r.msgsPerSecond);
      const peerMsgs = med('plain ws', (r) => r.msgsPerSecond);
      const rows: Row[] = [
        {
          metric: `messages/s delivered (${s.subscribers.toLocaleString('en-US')} subscribers, ${videos.length} videos, update every ${s.tickMs} ms)`,
          unit: '',
          pulse: pulseMsgs,
          peer: { name: 'plain ws', value: peerMsgs },
          ratio: pulseMsgs / peerMsgs,
          target: '≥ 0.6× plain ws',
          met: pulseMsgs / peerMsgs >= 0.6,
        },
        {
          metric: 'ingest-to-delivery p50',
          unit: 'ms',
          pulse: med('Pulse', (r) => r.p50),
          peer: { name: 'plain ws', value: med('plain ws', (r) => r.p50) },
        },
        {
          metric: 'ingest-to-delivery p99',
          unit: 'ms',
          pulse: med('Pulse', (r) => r.p99),
          peer: { name: 'plain ws', value: med('plain ws', (r) => r.p99) },
          target: `≤ interval + 250 = ${s.intervalMs + 250} ms`,
          met: med('Pulse', (r) => r.p99) <= s.intervalMs + 250,
        },
        {
          metric: 'server RSS peak',
          unit: 'MB',
          pulse: med('Pulse', (r) => r.rssPeakMb),
          peer: { name: 'plain ws', value: med('plain ws', (r) => r.rssPeakMb) },
          target: '≤ 500 MB',
          met: med('Pulse', (r) => r.rssPeakMb) <= 500,
        },
      ];
      notes.push(
        `The driver posts one VIEWS +1 event per video every ${s.tickMs} ms in one POST /ingest (${videos.length} events): ${s.subscribers.toLocaleString('en-US')} × ${(1000 / s.tickMs).toFixed(0)} = ${((s.subscribers * 1000) / s.tickMs).toLocaleString('en-US')} messages/s are due. Pulse subscribers use minIntervalMs = ${s.intervalMs} (its throttle: at most one message per interval), shorter than the tick, so a server that keeps up coalesces nothing and delivers every tick; one that falls behind delivers fewer, newer counts. Latency runs from just before the POST to the arrival of the first message showing the new count, on one clock (the load generator threads live in the bench process); it includes Pulse's commit and its interval wait. The plain ws peer has no database and no throttle: it broadcasts as the POST arrives.`,
      );
      const errors = Object.values(runs).flat() as R[];
      if (errors.some((r) => r.errors > 0)) notes.push('Some subscribers got error messages.');
      results.push({
        id: 'S2',
        title: 'live fan-out',
        profile: ctx.db.profile,
        ok: true,
        rows,
        notes,
        runs,
        seconds: (performance.now() - started) / 1000,
      });
    }

    // S2b: one video, everyone subscribed, one update.
    {
      const started = performance.now();
      const n = settings.s2b.subscribers;
      const runs: Record<string, { fanOutMs: number; spreadMs: number; reached: number }[]> = {};
      const subs = Array.from({ length: n }, () => ({ videoIdx: 0, videoId: videos[0]!.id }));
      for (let run = 0; run < settings.runs; run++) {
        for (const server of servers) {
          await load.open({
            url: wsUrl(server.url),
            key: server.key,
            query: SUBSCRIPTION,
            intervalMs: 100,
            subs,
            concurrency: 200,
          });
          await load.mark();
          const sent = await tick(server, [videos[0]!], `${runTag}-b-${run}-${server.name}`);
          const deadline = now() + 30_000;
          let report = await load.report([0, sent]);
          while (report.reached < n && now() < deadline) {
            await sleep(100);
            report = await load.report([0, sent]);
          }
          await load.close();
          await waitIdle(server.process.pid);
          const result = {
            fanOutMs: report.last - sent,
            spreadMs: report.last - report.first,
            reached: report.reached,
          };
          (runs[server.name] ??= []).push(result);
          ctx.log(
            `  S2b ${server.name} run ${run + 1}: all ${report.reached} in ${result.fanOutMs.toFixed(0)} ms (first→last ${result.spreadMs.toFixed(0)} ms)`,
          );
        }
      }
      const med = (name: string, pick: (r: (typeof runs)[string][number]) => number) =>
        median(runs[name]!.map(pick));
      const pulseFan = med('Pulse', (r) => r.fanOutMs);
      const peerFan = med('plain ws', (r) => r.fanOutMs);
      const pulseSpread = med('Pulse', (r) => r.spreadMs);
      const peerSpread = med('plain ws', (r) => r.spreadMs);
      results.push({
        id: 'S2b',
        title: 'one update, one video',
        profile: ctx.db.profile,
        ok: true,
        rows: [
          {
            metric: `ingest POST → last of ${n.toLocaleString('en-US')} subscribers`,
            unit: 'ms',
            pulse: pulseFan,
            peer: { name: 'plain ws', value: peerFan },
            ratio: peerFan / pulseFan,
          },
          {
            metric: 'first → last subscriber (fan-out itself)',
            unit: 'ms',
            pulse: pulseSpread,
            peer: { name: 'plain ws', value: peerSpread },
            ratio: peerSpread / pulseSpread,
            target: '≤ 2× plain ws',
            met: pulseSpread <= 2 * peerSpread,
          },
        ],
        notes: [
          'Pulse subscribers use the smallest interval (100 ms): POST → last includes that wait and the commit; first → last is the fan-out proper, compared with the target.',
          ...(Object.values(runs)
            .flat()
            .some((r) => r.reached < n)
            ? ['Some subscribers never got the update within 30 s.']
            : []),
        ],
        runs,
        seconds: (performance.now() - started) / 1000,
      });
    }

    // S2c: connect storm, then churn.
    {
      const started = performance.now();
      const s = settings.s2c;
      const runs: Record<string, unknown[]> = {};
      const subs = Array.from({ length: s.subscribers }, (_, i) => ({
        videoIdx: i % videos.length,
        videoId: videos[i % videos.length]!.id,
      }));
      for (let run = 0; run < settings.runs; run++) {
        for (const server of servers) {
          const rss = watchRss(server.process.pid);
          const opened = await load.open({
            url: wsUrl(server.url),
            key: server.key,
            query: SUBSCRIPTION,
            intervalMs: 1000,
            subs,
            concurrency: 200,
          });
          const churn = await load.churn(s.churnFraction, s.churnSeconds);
          const memory = rss.stop();
          await load.close();
          await waitIdle(server.process.pid);
          const result = { opened, churn, rssPeakMb: memory.peakMb };
          (runs[server.name] ??= []).push(result);
          ctx.log(
            `  S2c ${server.name} run ${run + 1}: ${opened.ok} subscribed at ${opened.rate.toFixed(0)}/s (${opened.failed} failed); churn ${churn.reconnects} reconnects, ${churn.failed} failed, ${churn.errors} errors; RSS ${memory.peakMb.toFixed(0)} MB`,
          );
        }
      }
      type R = {
        opened: { rate: number; failed: number; setupP99: number };
        churn: { failed: number; errors: number; reconnectP99: number };
        rssPeakMb: number;
      };
      const med = (name: string, pick: (r: R) => number) => median((runs[name] as R[]).map(pick));
      const row = (metric: string, unit: string, pick: (r: R) => number, higherIsBetter = true) => {
        const mine = med('Pulse', pick);
        const theirs = med('plain ws', pick);
        return {
          metric,
          unit,
          pulse: mine,
          peer: { name: 'plain ws', value: theirs },
          ...(mine > 0 && theirs > 0
            ? { ratio: higherIsBetter ? mine / theirs : theirs / mine }
            : {}),
        };
      };
      results.push({
        id: 'S2c',
        title: 'connect storm and churn',
        profile: ctx.db.profile,
        ok: true,
        rows: [
          row(
            `subscriptions opened/s (${s.subscribers.toLocaleString('en-US')})`,
            '',
            (r) => r.opened.rate,
          ),
          row('connect → first message p99', 'ms', (r) => r.opened.setupP99, false),
          row(
            `reconnect p99 during ${s.churnFraction * 100} %/s churn`,
            'ms',
            (r) => r.churn.reconnectP99,
            false,
          ),
          row(
            'failed connects + errors',
            '',
            (r) => r.opened.failed + r.churn.failed + r.churn.errors,
          ),
          row('server RSS peak', 'MB', (r) => r.rssPeakMb, false),
        ],
        notes: [
          `At most 200 connection attempts are in flight at once (the listen backlog is finite); each subscription counts as open when its first message (the current count) arrived. Churn closes ${s.churnFraction * 100} % of the sockets each second and opens as many.`,
        ],
        runs,
        seconds: (performance.now() - started) / 1000,
      });
    }
  } finally {
    await load.terminate();
    await peer?.stop();
    await pulse.process.stop();
  }
  return results;
}

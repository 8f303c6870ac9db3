/**
 * Load generator for S2/S2b/S2c, one of several worker threads of the bench process: opens
 * graphql-transport-ws sockets (one subscription each, id "1"), and records when each `next`
 * arrives on the absolute clock `performance.timeOrigin + performance.now()`, the same clock
 * the ingest driver stamps its send times with. Latencies are computed at report time, when the
 * driver's send times are known.
 */
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';
import { Histogram } from '../lib/stats.js';

const now = () => performance.timeOrigin + performance.now();

export interface SubscriberSpec {
  videoIdx: number;
  videoId: string;
}

export type WorkerCommand =
  | {
      op: 'open';
      subs: SubscriberSpec[];
      url: string;
      key: string;
      query: string;
      intervalMs: number;
      concurrency: number;
    }
  | { op: 'mark' }
  | { op: 'churn'; fraction: number; seconds: number }
  | { op: 'report'; sendTimes: number[] }
  | { op: 'close' };

interface Sub {
  spec: SubscriberSpec;
  socket: WebSocket | null;
  base: number | null;
  lastTick: number;
  opened: number;
  firstAt: number;
  closing: boolean;
}

let config: Extract<WorkerCommand, { op: 'open' }>;
let subs: Sub[] = [];
let errors = 0;
let unexpectedCloses = 0;
let messages = 0;
// Per message after `mark`: the ticks it covers (from, to] and when it arrived.
let records: number[] = [];
const base = new Map<number, number>();

function reply(message: unknown, transfer: ArrayBuffer[] = []) {
  parentPort!.postMessage(message, transfer);
}

/** Opens one subscription; resolves when its first `next` arrived (or it failed). */
function connect(sub: Sub): Promise<boolean> {
  return new Promise((resolve) => {
    sub.opened = now();
    sub.base = null;
    sub.lastTick = 0;
    sub.closing = false;
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      resolve(ok);
    };
    const socket = new WebSocket(config.url, 'graphql-transport-ws', { perMessageDeflate: false });
    sub.socket = socket;
    socket.on('open', () => {
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${config.key}` },
        }),
      );
    });
    socket.on('message', (data) => {
      const at = now();
      const text = String(data);
      // Most frames are `next`: read the count without parsing the whole envelope twice.
      const message = JSON.parse(text) as {
        type: string;
        payload?: { data?: { videoViewsUpdated?: { views: number } } };
      };
      if (message.type === 'next') {
        const views = message.payload?.data?.videoViewsUpdated?.views;
        if (typeof views !== 'number') {
          errors += 1;
          return;
        }
        if (sub.base === null) {
          sub.base = views;
          sub.firstAt = at;
          if (!base.has(sub.spec.videoIdx)) base.set(sub.spec.videoIdx, views);
          settle(true);
          return;
        }
        const tick = views - (base.get(sub.spec.videoIdx) ?? sub.base);
        messages += 1;
        records.push(sub.lastTick, tick, at);
        if (tick > sub.lastTick) sub.lastTick = tick;
      } else if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: {
              query: config.query,
              variables: { id: sub.spec.videoId, ms: config.intervalMs },
            },
          }),
        );
      } else if (message.type === 'ping') {
        socket.send('{"type":"pong"}');
      } else if (message.type === 'error' || message.type === 'complete') {
        errors += 1;
        settle(false);
      }
    });
    socket.on('error', () => {
      errors += 1;
      settle(false);
    });
    socket.on('close', () => {
      if (!sub.closing) unexpectedCloses += 1;
      settle(false);
    });
  });
}

/** Runs `task` over `items` with at most `limit` in flight (the server's backlog is finite). */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

function closeSub(sub: Sub): Promise<void> {
  return new Promise((resolve) => {
    const socket = sub.socket;
    sub.closing = true;
    if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
    socket.once('close', () => resolve());
    socket.close(1000);
    setTimeout(() => {
      socket.terminate();
      resolve();
    }, 5_000).unref();
  });
}

parentPort!.on('message', async (command: WorkerCommand) => {
  switch (command.op) {
    case 'open': {
      config = command;
      subs = command.subs.map((spec) => ({
        spec,
        socket: null,
        base: null,
        lastTick: 0,
        opened: 0,
        firstAt: 0,
        closing: false,
      }));
      const setup = new Histogram(120_000);
      const started = now();
      let ok = 0;
      await pool(subs, command.concurrency, async (sub) => {
        if (await connect(sub)) {
          ok += 1;
          setup.record(sub.firstAt - sub.opened);
        }
      });
      reply(
        {
          op: 'opened',
          ok,
          failed: subs.length - ok,
          seconds: (now() - started) / 1000,
          setupCounts: setup.counts,
          base: [...base.entries()],
        },
        [setup.counts.buffer as ArrayBuffer],
      );
      break;
    }
    case 'mark':
      records = [];
      messages = 0;
      errors = 0;
      unexpectedCloses = 0;
      reply({ op: 'marked' });
      break;
    case 'churn': {
      // Every second, close `fraction` of the sockets and open as many new ones.
      const reconnect = new Histogram(120_000);
      let reconnects = 0;
      let failed = 0;
      const perSecond = Math.max(1, Math.round(subs.length * command.fraction));
      let cursor = 0;
      for (let second = 0; second < command.seconds; second++) {
        const started = now();
        const batch = Array.from({ length: perSecond }, () => subs[cursor++ % subs.length]!);
        await pool(batch, config.concurrency, async (sub) => {
          await closeSub(sub);
          if (await connect(sub)) {
            reconnects += 1;
            reconnect.record(sub.firstAt - sub.opened);
          } else failed += 1;
        });
        const spent = now() - started;
        if (spent < 1000) await new Promise((resolve) => setTimeout(resolve, 1000 - spent));
      }
      const open = subs.filter((sub) => sub.socket?.readyState === WebSocket.OPEN).length;
      reply(
        {
          op: 'churned',
          reconnects,
          failed,
          open,
          errors,
          unexpectedCloses,
          reconnectCounts: reconnect.counts,
        },
        [reconnect.counts.buffer as ArrayBuffer],
      );
      break;
    }
    case 'report': {
      const latency = new Histogram(60_000);
      let first = Infinity;
      let last = -Infinity;
      let covered = 0;
      for (let i = 0; i < records.length; i += 3) {
        const from = records[i]!;
        const to = records[i + 1]!;
        const at = records[i + 2]!;
        for (let tick = from + 1; tick <= to; tick++) {
          const sent = command.sendTimes[tick];
          if (sent === undefined) continue;
          latency.record(at - sent);
          covered += 1;
        }
        if (to >= 1) {
          first = Math.min(first, at);
          last = Math.max(last, at);
        }
      }
      const reached = subs.filter((sub) => sub.lastTick >= 1).length;
      reply(
        {
          op: 'report',
          messages,
          covered,
          errors,
          unexpectedCloses,
          first,
          last,
          reached,
          latencyCounts: latency.counts,
        },
        [latency.counts.buffer as ArrayBuffer],
      );
      break;
    }
    case 'close':
      await pool(subs, 500, closeSub);
      subs = [];
      base.clear();
      records = [];
      reply({ op: 'closed' });
      break;
  }
});

import { Worker } from 'node:worker_threads';
import { Histogram } from '../lib/stats.js';
import type { SubscriberSpec, WorkerCommand } from './ws-subscribers.worker.js';

/** Drives the subscriber worker threads (see ws-subscribers.worker.ts) as one generator. */
export class WsLoad {
  private readonly workers: Worker[];

  constructor(threads: number) {
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
        workerData: { script: new URL('./ws-subscribers.worker.ts', import.meta.url).href },
      });
      worker.on('error', () => {}); // reported to the pending ask(); must not crash the bench
      return worker;
    });
  }

  private ask<T>(worker: Worker, command: WorkerCommand): Promise<T> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        worker.off('exit', onExit);
        reject(error);
      };
      const onExit = (code: number) => {
        worker.off('error', onError);
        reject(new Error(`load generator thread exited (${code})`));
      };
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.once('message', (message: T) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(message);
      });
      worker.postMessage(command);
    });
  }

  private all<T>(command: (index: number) => WorkerCommand): Promise<T[]> {
    return Promise.all(this.workers.map((worker, index) => this.ask<T>(worker, command(index))));
  }

  /** Opens every subscription; resolves when each got its first message (or failed). */
  async open(options: {
    url: string;
    key: string;
    query: string;
    intervalMs: number;
    subs: SubscriberSpec[];
    concurrency: number;
  }) {
    const shares = this.workers.map((_, index) =>
      options.subs.filter((__, i) => i % this.workers.length === index),
    );
    const started = performance.now();
    const replies = await this.all<{
      ok: number;
      failed: number;
      setupCounts: Uint32Array;
      base: [number, number][];
    }>((index) => ({
      op: 'open',
      url: options.url,
      key: options.key,
      query: options.query,
      intervalMs: options.intervalMs,
      concurrency: Math.max(1, Math.round(options.concurrency / this.workers.length)),
      subs: shares[index]!,
    }));
    const seconds = (performance.now() - started) / 1000;
    const setup = new Histogram(120_000);
    for (const reply of replies) setup.merge(reply.setupCounts);
    const ok = replies.reduce((sum, reply) => sum + reply.ok, 0);
    return {
      ok,
      failed: replies.reduce((sum, reply) => sum + reply.failed, 0),
      seconds,
      rate: ok / seconds,
      setupP50: setup.percentile(50),
      setupP99: setup.percentile(99),
    };
  }

  async mark() {
    await this.all(() => ({ op: 'mark' }));
  }

  async churn(fraction: number, seconds: number) {
    const replies = await this.all<{
      reconnects: number;
      failed: number;
      open: number;
      errors: number;
      unexpectedCloses: number;
      reconnectCounts: Uint32Array;
    }>(() => ({ op: 'churn', fraction, seconds }));
    const reconnect = new Histogram(120_000);
    for (const reply of replies) reconnect.merge(reply.reconnectCounts);
    const sum = (pick: (reply: (typeof replies)[number]) => number) =>
      replies.reduce((total, reply) => total + pick(reply), 0);
    return {
      reconnects: sum((r) => r.reconnects),
      failed: sum((r) => r.failed),
      open: sum((r) => r.open),
      errors: sum((r) => r.errors),
      unexpectedCloses: sum((r) => r.unexpectedCloses),
      reconnectP50: reconnect.percentile(50),
      reconnectP99: reconnect.percentile(99),
    };
  }

  /** Latency of every tick each subscriber saw, from the driver's send times (absolute ms). */
  async report(sendTimes: number[]) {
    const replies = await this.all<{
      messages: number;
      covered: number;
      errors: number;
      unexpectedCloses: number;
      first: number;
      last: number;
      reached: number;
      latencyCounts: Uint32Array;
    }>(() => ({ op: 'report', sendTimes }));
    const latency = new Histogram(60_000);
    for (const reply of replies) latency.merge(reply.latencyCounts);
    const sum = (pick: (reply: (typeof replies)[number]) => number) =>
      replies.reduce((total, reply) => total + pick(reply), 0);
    return {
      messages: sum((r) => r.messages),
      covered: sum((r) => r.covered),
      errors: sum((r) => r.errors),
      unexpectedCloses: sum((r) => r.unexpectedCloses),
      reached: sum((r) => r.reached),
      first: Math.min(...replies.map((r) => r.first)),
      last: Math.max(...replies.map((r) => r.last)),
      p50: latency.percentile(50),
      p99: latency.percentile(99),
      max: latency.max,
    };
  }

  async close() {
    await this.all(() => ({ op: 'close' }));
  }

  async terminate() {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

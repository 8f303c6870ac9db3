import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { expect } from 'vitest';
import { PLATFORMS, type Platform } from '../../src/db/schema.js';
import { seedAccount, type SeededVideo } from './seed.js';
import { startTestApp, type TestApp } from './test-app.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/**
 * A test app that accepts events up to two years old, so whole histories (and year-ago
 * comparisons) go through the real ingest path.
 */
export const startAnalyticsApp = (env: Record<string, string> = {}) =>
  startTestApp({
    INGEST_MAX_EVENT_AGE_DAYS: '799',
    RETENTION_RAW_EVENTS_DAYS: '800',
    RETENTION_INTERVAL_MINUTES: '0',
    ...env,
  });

export type FixtureVideo = SeededVideo;

/** A viewer with a channel per platform and published videos on the given platforms. */
export async function createCreator(
  t: TestApp,
  options: {
    timezone?: string;
    videos: { platforms: Platform[]; tags?: string[]; title?: string }[];
  },
) {
  const { channels, videos, ...viewer } = await seedAccount(t, {
    ...(options.timezone ? { timezone: options.timezone } : {}),
    channels: PLATFORMS,
    videos: options.videos.map((spec, index) => ({
      title: spec.title ?? `Video ${index}`,
      tags: spec.tags ?? [],
      counters: Object.fromEntries(spec.platforms.map((p) => [p, {}])),
    })),
  });
  return { viewer, channels, videos };
}

export interface TestEvent {
  video: FixtureVideo;
  platform: Platform;
  metric?: string;
  delta: number;
  at: number | Date | string;
}

let sequence = 0;

/** Sends events through POST /ingest (the real path) and expects every one accepted. */
export async function ingest(t: TestApp, key: string, events: TestEvent[]) {
  for (let i = 0; i < events.length; i += 5000) {
    const chunk = events.slice(i, i + 5000).map((e) => ({
      id: `t-${++sequence}-${Math.random().toString(36).slice(2, 8)}`,
      video: e.video.globalId,
      platform: e.platform.toUpperCase(),
      metric: e.metric ?? 'VIEWS',
      delta: e.delta,
      occurredAt: new Date(e.at).toISOString(),
    }));
    const response = await t.app.fetch('http://pulse.test/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(chunk),
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body, JSON.stringify(body)).toMatchObject({ accepted: chunk.length, rejected: [] });
  }
}

/** Runs a query (a typed `graphql()` document or a string) and returns data, failing the test on any error. */
export async function query<TData, TVariables>(
  t: TestApp,
  key: string,
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables]: {} extends TVariables ? [variables?: TVariables] : [variables: TVariables]
): Promise<TData>;
export async function query<T = any>(
  t: TestApp,
  key: string,
  document: string,
  variables?: Record<string, unknown>,
): Promise<T>;
export async function query(
  t: TestApp,
  key: string,
  document: string | TypedDocumentNode<unknown, Record<string, unknown>>,
  variables: Record<string, unknown> = {},
): Promise<unknown> {
  const options = { variables, key };
  const response =
    typeof document === 'string'
      ? await t.graphql(document, options)
      : await t.request(document, options);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data;
}

/** Runs a query expected to fail; returns the first error's code and the HTTP status. */
export async function errorOf(
  t: TestApp,
  key: string,
  document: string,
  variables: Record<string, unknown> = {},
) {
  const response = await t.graphql(document, { variables, key });
  expect(response.body.errors?.length ?? 0).toBeGreaterThan(0);
  return { status: response.status, code: response.body.errors![0]!.extensions?.['code'] };
}

/** The local calendar date of an instant (independent of the code under test). */
export function localDateOf(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

export const addDaysTo = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

import { createPubSub } from 'graphql-yoga';
import type { MetricValues } from '../db/schema.js';

/** What one committed ingest batch changed for one video. */
export interface VideoMetricsChange {
  videoId: string;
  ownerId: string;
  /** The video's lifetime totals after the commit. */
  totals: MetricValues;
  /** What this batch added. */
  deltas: MetricValues;
  /** Commit time, ISO 8601. */
  at: string;
}

/**
 * Topics carry ids, not rows: subscribers reload through their own (authorized) loaders, so a
 * payload never leaks data and the transport can later move to Redis unchanged.
 */
export type PubSubTopics = {
  'video:changed': [videoId: string, payload: { videoId: string; deleted: boolean }];
  /** Published by the ingest writer after each commit, once per changed video. */
  'video:metrics': [videoId: string, payload: VideoMetricsChange];
};

export type PubSub = ReturnType<typeof createPulsePubSub>;

export const createPulsePubSub = () => createPubSub<PubSubTopics>();

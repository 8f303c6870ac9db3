import { createPubSub } from 'graphql-yoga';
import type { MetricValues, VideoStatus } from '../db/schema.js';

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

/** A video's processing state after a committed change (processing report or publish). */
export interface VideoProcessingChange {
  videoId: string;
  ownerId: string;
  status: VideoStatus;
  /** 0–100. */
  progress: number;
  /** When the change was committed, ISO 8601. */
  at: string;
}

/**
 * Topics carry ids, not rows: subscribers reload through their own (authorized) loaders, so a
 * payload never leaks data and the transport can later move to Redis unchanged. Topics keyed by
 * an id reach only that id's listeners; the un-keyed ones (`videos:…`, `metrics:…`) carry every
 * change, for server-side consumers such as the notifier.
 */
export type PubSubTopics = {
  'video:changed': [videoId: string, payload: { videoId: string; deleted: boolean }];
  /** Published by the ingest writer after each commit, once per changed video. */
  'video:metrics': [videoId: string, payload: VideoMetricsChange];
  /** Published by the ingest writer after each commit, once per batch, with every changed video. */
  'metrics:committed': [payload: { videos: VideoMetricsChange[] }];
  /** Any video's processing status or progress changed (its `video:changed` fires too). */
  'videos:processing': [payload: VideoProcessingChange];
  /** A notification was stored for this owner. */
  'notification:created': [ownerId: string, payload: { notificationId: string }];
  /** An export's status or progress changed (committed). */
  'export:changed': [exportId: string, payload: { exportId: string }];
  /** A run of this report was queued or its status or progress changed (committed). */
  'report:runs': [reportId: string, payload: { runId: string }];
};

export type PubSub = ReturnType<typeof createPulsePubSub>;

export const createPulsePubSub = () => createPubSub<PubSubTopics>();

/**
 * Announces a committed processing change: to the video's subscribers (`video:changed`, which
 * they reload on) and to server-side consumers such as the notifier (`videos:processing`).
 */
export function publishProcessingChange(
  pubsub: Pick<PubSub, 'publish'>,
  change: VideoProcessingChange,
) {
  pubsub.publish('video:changed', change.videoId, { videoId: change.videoId, deleted: false });
  pubsub.publish('videos:processing', change);
}

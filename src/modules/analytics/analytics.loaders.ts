import { PLATFORMS } from '../../db/schema.js';
import { zeroMetrics } from '../common/metric-keys.js';
import {
  bucketize,
  checkSeries,
  seriesUnit,
  windowsOf,
  type AnalyticsView,
  type Interval,
  type PlatformTotals,
  type SeriesBucket,
} from './analytics.service.js';
import { channelGrowth, type ChannelGrowth } from './audience/audience.service.js';
import { sumRollups } from './storage/rollups.js';

/**
 * Per-video sums per platform, for many videos in one statement (a page of videos with their
 * analytics costs one query, not one per video). Lists the platforms the video has data on.
 */
export async function platformTotalsByVideo(
  view: AnalyticsView,
  videoIds: readonly string[],
): Promise<PlatformTotals[][]> {
  const { rows } = await sumRollups(view.source, {
    windows: windowsOf(view),
    unit: 'none',
    byPlatform: true,
    byVideo: true,
    videoIds: [...videoIds],
  });
  return videoIds.map((videoId) => {
    const own = rows.filter((row) => row.videoId === videoId);
    return PLATFORMS.filter((platform) => own.some((row) => row.platform === platform)).map(
      (platform) => {
        const pick = (window: number) =>
          own.find((row) => row.window === window && row.platform === platform)?.metrics;
        return {
          platform,
          current: pick(0) ?? zeroMetrics(),
          previous: view.previous ? (pick(1) ?? zeroMetrics()) : null,
        };
      },
    );
  });
}

/** Each video's zero-filled series, for many videos in one statement. */
export async function seriesByVideo(
  view: AnalyticsView,
  interval: Interval,
  videoIds: readonly string[],
): Promise<SeriesBucket[][]> {
  checkSeries(view, interval);
  const { rows } = await sumRollups(view.source, {
    windows: windowsOf(view),
    unit: seriesUnit(view, interval),
    byVideo: true,
    videoIds: [...videoIds],
  });
  return videoIds.map((videoId) =>
    bucketize(
      view,
      interval,
      rows.filter((row) => row.videoId === videoId),
    ),
  );
}

/** Growth of many channels over the view's days, in one statement. */
export async function growthByChannel(
  view: AnalyticsView,
  channelIds: readonly string[],
): Promise<(ChannelGrowth | null)[]> {
  const growth = await channelGrowth(
    view.source.db,
    view.source.ownerId,
    view.period.startDate,
    view.period.endDate,
    { channelIds: [...channelIds] },
  );
  return channelIds.map((id) => growth.find((g) => g.channelId === id) ?? null);
}

import { sql, type SQL } from 'drizzle-orm';
import type { Platform } from '../../db/schema.js';
import { DAY_MS, localDate } from '../../lib/time-zone.js';
import { METRIC_COLUMNS as METRIC_COLUMN_NAMES } from '../common/metric-keys.js';

/** A publication the demo history is generated for. */
export interface HistoryPublication {
  publicationId: string;
  videoId: string;
  channelId: string;
  platform: Platform;
  publishedAt: Date;
  durationSeconds: number;
}

/** The shape of the synthetic history: per-platform mixes, curves, noise. */
/** How each platform differs: reach, rates and watch time relative to a baseline. */
export const PLATFORM_MIX: Record<
  Platform,
  {
    views: number;
    likes: number;
    comments: number;
    shares: number;
    saves: number;
    watch: number;
    ctr: number;
    follow: number;
  }
> = {
  youtube: {
    views: 1,
    likes: 0.045,
    comments: 0.006,
    shares: 0.004,
    saves: 0.008,
    watch: 0.55,
    ctr: 0.06,
    follow: 0.004,
  },
  tiktok: {
    views: 2.2,
    likes: 0.08,
    comments: 0.004,
    shares: 0.01,
    saves: 0.012,
    watch: 0.35,
    ctr: 0.09,
    follow: 0.003,
  },
  instagram: {
    views: 0.8,
    likes: 0.09,
    comments: 0.005,
    shares: 0.006,
    saves: 0.02,
    watch: 0.4,
    ctr: 0.05,
    follow: 0.005,
  },
  twitter: {
    views: 0.45,
    likes: 0.025,
    comments: 0.003,
    shares: 0.012,
    saves: 0.004,
    watch: 0.3,
    ctr: 0.11,
    follow: 0.002,
  },
};

/**
 * How long a post keeps finding viewers after its launch: YouTube videos have long tails (0 =
 * a slow hyperbolic decay), feed platforms fade within weeks, X within days.
 */
export const TAIL_DAYS: Record<Platform, number> = {
  youtube: 0,
  tiktok: 30,
  instagram: 14,
  twitter: 4,
};

/** A small deterministic PRNG (mulberry32), so a seed gives the same history. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Params {
  publication_id: string;
  video_id: string;
  channel_id: string;
  platform: Platform;
  published_ms: number;
  start_day: string;
  base: number;
  tau: number;
  tail: number;
  tail_days: number;
  spike_ms: number | null;
  spike: number;
  like_rate: number;
  comment_rate: number;
  share_rate: number;
  save_rate: number;
  click_rate: number;
  ctr: number;
  reach_rate: number;
  watch: number;
}

export function paramsFor(
  publications: HistoryPublication[],
  firstDay: string,
  timeZone: string,
  random: () => number,
  span: { from: number; to: number },
  fadingTails: boolean,
): Params[] {
  const jitter = (low: number, high: number) => low + (high - low) * random();
  return publications.map((p) => {
    const mix = PLATFORM_MIX[p.platform];
    // The channel grows: later videos start from a bigger audience.
    const progress = Math.min(
      1,
      Math.max(0, (p.publishedAt.getTime() - span.from) / (span.to - span.from)),
    );
    const base = Math.exp(jitter(5.5, 9.5)) * mix.views * (0.35 + 0.9 * progress);
    const viral = random() < 0.05;
    const published = p.publishedAt.getTime();
    const day = localDate(published, timeZone);
    return {
      publication_id: p.publicationId,
      video_id: p.videoId,
      channel_id: p.channelId,
      platform: p.platform,
      published_ms: published,
      start_day: day > firstDay ? day : firstDay,
      base,
      tau: jitter(1.5, 6),
      tail: jitter(0.02, 0.1),
      tail_days: fadingTails ? TAIL_DAYS[p.platform] : 0,
      spike_ms: viral ? published + jitter(0, 120) * DAY_MS : null,
      spike: viral ? jitter(8, 40) : 0,
      like_rate: mix.likes * jitter(0.6, 1.5),
      comment_rate: mix.comments * jitter(0.5, 1.6),
      share_rate: mix.shares * jitter(0.5, 1.8),
      save_rate: mix.saves * jitter(0.5, 1.6),
      click_rate: jitter(0.6, 0.95),
      ctr: mix.ctr * jitter(0.6, 1.5),
      reach_rate: jitter(0.4, 0.8),
      watch: p.durationSeconds * mix.watch * jitter(0.6, 1.3),
    };
  });
}

export const PARAM_COLUMNS =
  'publication_id uuid, video_id uuid, channel_id uuid, platform text, published_ms float8, start_day date, base float8, tau float8, tail float8, tail_days float8, spike_ms float8, spike float8, like_rate float8, comment_rate float8, share_rate float8, save_rate float8, click_rate float8, ctr float8, reach_rate float8, watch float8';

export const paramsTable = (params: Params[]) =>
  sql`json_to_recordset(${JSON.stringify(params)}::json) as p(${sql.raw(PARAM_COLUMNS)})`;

/**
 * Expected views of publication p over `hours` hours starting at epoch ms `at_ms`: a launch peak
 * decaying over days (tau), a long tail, a weekly rhythm (weekends up), a yearly swell, a viral
 * spike for a few, and noise.
 */
export const viewsExpression = (atMs: SQL, localDow: SQL, hours: SQL) => sql`
  greatest(0, floor(
    p.base * ${hours} / 24.0
    * (exp(-greatest(0, ${atMs} - p.published_ms) / 86400000.0 / p.tau)
       + case when p.tail_days > 0
           then p.tail * exp(-greatest(0, ${atMs} - p.published_ms) / 86400000.0 / p.tail_days)
           else p.tail / (1 + greatest(0, ${atMs} - p.published_ms) / 86400000.0 / 60.0) end)
    * (case ${localDow} when 6 then 1.2 when 0 then 1.25 when 1 then 0.9 when 2 then 0.92 else 1 end)
    * (1 + 0.1 * sin(2 * pi() * ${atMs} / 31557600000))
    * (1 + case when p.spike_ms is not null and ${atMs} >= p.spike_ms
         then p.spike * exp(-((${atMs} - p.spike_ms) / 86400000.0) / 1.5) else 0 end)
    * (0.7 + 0.6 * random())
  ))`;

/** The other eight metrics from views (v.views) and the publication's rates, with noise. */
export const METRIC_SELECT = sql.raw(`
  v.views::bigint,
  floor(v.views * p.like_rate * (0.8 + 0.4 * random()))::bigint,
  floor(v.views * p.share_rate * (0.7 + 0.6 * random()))::bigint,
  floor(v.views * p.comment_rate * (0.7 + 0.6 * random()))::bigint,
  floor(v.views * p.save_rate * (0.7 + 0.6 * random()))::bigint,
  floor(v.views * p.click_rate)::bigint,
  floor(v.views * p.click_rate / p.ctr * (0.85 + 0.3 * random()))::bigint,
  floor(v.views * p.click_rate / p.ctr * p.reach_rate)::bigint,
  floor(v.views * p.watch * (0.8 + 0.4 * random()))::bigint`);

export const METRIC_COLUMNS = METRIC_COLUMN_NAMES.join(', ');
export const SUMS = sql.raw(
  METRIC_COLUMNS.split(', ')
    .map((c) => `sum(${c})`)
    .join(', '),
);
export const ADD = (table: string) =>
  sql.raw(
    METRIC_COLUMNS.split(', ')
      .map((c) => `${c} = ${table}.${c} + excluded.${c}`)
      .join(', '),
  );

export const DIURNAL = [
  0.35, 0.25, 0.18, 0.14, 0.13, 0.17, 0.3, 0.55, 0.75, 0.85, 0.92, 1, 1.05, 1.05, 1.02, 1.05, 1.12,
  1.25, 1.4, 1.55, 1.6, 1.45, 1.05, 0.65,
];

const MINUTE_MS = 60_000;

export interface ViralRule {
  /** The recent window, in whole minutes (the current minute included). */
  windowMinutes: number;
  /** The baseline: the minutes just before the recent window. */
  baselineMinutes: number;
  /** Recent views must reach this multiple of the baseline's average per window. */
  factor: number;
  /** ...and at least this many views. */
  minViews: number;
}

export interface ViralSpike {
  videoId: string;
  ownerId: string;
  /** Views in the recent window. */
  views: number;
  /** The baseline's average views per window (baseline views × window / baseline). */
  expected: number;
  /** Start of the UTC hour the spike was seen in: at most one alert per video per hour. */
  hour: number;
}

/** One video's views in minute buckets, a ring over window + baseline minutes. */
class VideoMinutes {
  readonly sums: Float64Array;
  readonly minutes: Float64Array;
  lastMinute = -Infinity;
  alertedHour = -Infinity;

  constructor(
    readonly ownerId: string,
    size: number,
  ) {
    this.sums = new Float64Array(size);
    this.minutes = new Float64Array(size).fill(-Infinity);
  }

  add(minute: number, views: number) {
    const slot = minute % this.sums.length;
    if (this.minutes[slot] !== minute) {
      this.minutes[slot] = minute;
      this.sums[slot] = 0;
    }
    this.sums[slot]! += views;
    if (minute > this.lastMinute) this.lastMinute = minute;
  }

  /** Views in minutes (from, to]. */
  between(from: number, to: number) {
    let total = 0;
    for (let slot = 0; slot < this.sums.length; slot++) {
      const minute = this.minutes[slot]!;
      if (minute > from && minute <= to) total += this.sums[slot]!;
    }
    return total;
  }
}

/**
 * Viral-spike detection over the views committed per video, in whole UTC minutes by commit time:
 * at a commit in minute m, recent = views in minutes (m − window, m], baseline = views in
 * (m − window − baseline, m − window]. A spike is recent ≥ minViews and recent ≥ factor ×
 * baseline × window / baseline-minutes. It is judged only once the detector has watched a full
 * window + baseline (so a restart does not mistake an unseen past for silence), and reported at
 * most once per video per UTC hour. Memory: one small ring per video with views in the last
 * window + baseline minutes; quieter videos are dropped.
 */
export class ViralDetector {
  private readonly videos = new Map<string, VideoMinutes>();
  private readonly span: number;
  private sweptMinute = -Infinity;

  constructor(
    private readonly rule: ViralRule,
    /** When the detector started seeing every commit, in ms. */
    private readonly startedAt: number,
  ) {
    this.span = rule.windowMinutes + rule.baselineMinutes;
  }

  /** Adds a commit's views for a video at `at` (ms); returns the spike it completes, if any. */
  observe(videoId: string, ownerId: string, views: number, at: number): ViralSpike | null {
    if (!(views > 0)) return null;
    const minute = Math.floor(at / MINUTE_MS);
    this.sweep(minute);
    let video = this.videos.get(videoId);
    if (!video) {
      video = new VideoMinutes(ownerId, this.span);
      this.videos.set(videoId, video);
    }
    video.add(minute, views);
    if (at - this.startedAt < this.span * MINUTE_MS) return null;
    const hour = Math.floor(at / 3_600_000) * 3_600_000;
    if (video.alertedHour === hour) return null;
    const { windowMinutes, baselineMinutes, factor, minViews } = this.rule;
    const recent = video.between(minute - windowMinutes, minute);
    if (recent < minViews) return null;
    const baseline = video.between(minute - this.span, minute - windowMinutes);
    const expected = (baseline * windowMinutes) / baselineMinutes;
    if (recent < factor * expected) return null;
    video.alertedHour = hour;
    return { videoId, ownerId, views: recent, expected, hour };
  }

  /** Videos currently tracked. */
  get size() {
    return this.videos.size;
  }

  /** Once per minute, forgets videos without views in the whole span. */
  private sweep(minute: number) {
    if (minute <= this.sweptMinute) return;
    this.sweptMinute = minute;
    for (const [videoId, video] of this.videos)
      if (video.lastMinute <= minute - this.span) this.videos.delete(videoId);
  }
}

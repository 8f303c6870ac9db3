/** Small statistics helpers: medians over runs and percentiles over latency samples. */

export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Latency histogram with 0.1 ms buckets up to `maxMs` (everything above lands in the last one):
 * constant memory for millions of samples, and mergeable across worker threads.
 */
export class Histogram {
  readonly counts: Uint32Array;
  count = 0;
  max = 0;
  private static readonly RESOLUTION = 10;

  constructor(
    readonly maxMs = 60_000,
    counts?: Uint32Array,
  ) {
    this.counts = counts ?? new Uint32Array(maxMs * Histogram.RESOLUTION + 1);
    if (counts) {
      for (let i = 0; i < counts.length; i++) {
        if (counts[i]! === 0) continue;
        this.count += counts[i]!;
        this.max = i / Histogram.RESOLUTION;
      }
    }
  }

  record(ms: number) {
    const slot = Math.min(
      this.counts.length - 1,
      Math.max(0, Math.round(ms * Histogram.RESOLUTION)),
    );
    this.counts[slot]! += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  merge(other: Histogram | Uint32Array) {
    const counts = other instanceof Histogram ? other.counts : other;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i]! === 0) continue;
      this.counts[i]! += counts[i]!;
      this.count += counts[i]!;
      this.max = Math.max(this.max, i / Histogram.RESOLUTION);
    }
  }

  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const target = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return i / Histogram.RESOLUTION;
    }
    return this.max;
  }
}

export const round = (value: number, digits = 1) =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : value;

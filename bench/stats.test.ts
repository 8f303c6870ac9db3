import { describe, expect, it } from 'vitest';
import { Histogram, median, percentile } from './lib/stats.js';

// The bench's own arithmetic: its reports are only as good as these.
describe('bench statistics', () => {
  it('takes the median of the finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });

  it('keeps latencies in 0.1 ms buckets and merges histograms from several threads', () => {
    const a = new Histogram(1_000);
    const b = new Histogram(1_000);
    for (let i = 1; i <= 50; i++) a.record(i);
    for (let i = 51; i <= 100; i++) b.record(i);
    b.record(5_000); // above the range: counted in the last bucket
    a.merge(new Histogram(1_000, b.counts));
    expect(a.count).toBe(101);
    expect(a.percentile(50)).toBe(51);
    expect(a.percentile(98)).toBe(99);
    expect(a.percentile(100)).toBe(1_000);
  });
});

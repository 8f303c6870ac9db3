/**
 * Statistics behind insights, as plain functions: Holt's linear trend (double exponential
 * smoothing) with a prediction interval, and z-scores.
 */

/** z for a two-sided 80 % interval. */
export const Z80 = 1.2815515655446004;

export interface HoltFit {
  alpha: number;
  beta: number;
  /** Level and trend after the last observation. */
  level: number;
  trend: number;
  /** Standard deviation of the one-step-ahead errors. */
  residualSd: number;
  observations: number;
}

export interface ForecastPoint {
  /** 1 = the first day after the data. */
  step: number;
  value: number;
  lower: number;
  upper: number;
}

/** One-step-ahead squared errors of Holt's method for given smoothing parameters. */
function holtRun(values: number[], alpha: number, beta: number) {
  let level = values[0]!;
  let trend = values.length > 1 ? values[1]! - values[0]! : 0;
  let sse = 0;
  for (let t = 1; t < values.length; t++) {
    const predicted = level + trend;
    const error = values[t]! - predicted;
    sse += error * error;
    const previousLevel = level;
    level = alpha * values[t]! + (1 - alpha) * (level + trend);
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
  }
  return { level, trend, sse };
}

/**
 * Fits Holt's linear trend by grid search over α, β ∈ {0.05, 0.10, …, 0.95} minimising the
 * one-step-ahead squared error (the first point initialises the level, the first difference the
 * trend). Needs at least 3 observations.
 */
export function fitHolt(values: number[]): HoltFit | null {
  if (values.length < 3) return null;
  let best: { alpha: number; beta: number; level: number; trend: number; sse: number } | null =
    null;
  for (let a = 1; a <= 19; a++) {
    for (let b = 1; b <= 19; b++) {
      const alpha = a / 20;
      const beta = b / 20;
      const run = holtRun(values, alpha, beta);
      if (!best || run.sse < best.sse - 1e-9) best = { alpha, beta, ...run };
    }
  }
  const errors = values.length - 1;
  return {
    alpha: best!.alpha,
    beta: best!.beta,
    level: best!.level,
    trend: best!.trend,
    residualSd: Math.sqrt(best!.sse / Math.max(1, errors - 2)),
    observations: values.length,
  };
}

/**
 * Point forecasts level + h·trend with the 80 % interval of Holt's method (additive errors):
 * σ_h² = σ² · (1 + Σ_{j=1}^{h−1} α²(1 + jβ)²). `floor` clips the interval (counts are ≥ 0).
 */
export function holtForecast(fit: HoltFit, horizon: number, floor = 0): ForecastPoint[] {
  const points: ForecastPoint[] = [];
  let variance = 1;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) variance += fit.alpha ** 2 * (1 + (h - 1) * fit.beta) ** 2;
    const value = fit.level + h * fit.trend;
    const half = Z80 * fit.residualSd * Math.sqrt(variance);
    points.push({
      step: h,
      value: Math.max(floor, value),
      lower: Math.max(floor, value - half),
      upper: Math.max(floor, value + half),
    });
  }
  return points;
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
}

export function summarize(values: number[]): Summary {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : 0;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, sd: Math.sqrt(variance) };
}

/** (x − mean) / sd; null when sd is 0 (no spread: nothing stands out). */
export const zScore = (x: number, summary: Summary): number | null =>
  summary.sd > 0 ? (x - summary.mean) / summary.sd : null;

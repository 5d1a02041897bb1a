/** Small, dependency-free statistics: seeded bootstrap CIs and win/tie/loss rates with Wilson intervals. */
import { mulberry32 } from '../data/random';
import type { Interval, MeanCI, PairOutcome, RateCI, WinRates } from './eval-types';

/** Seeded PRNG (shared with the engine) so bootstrap intervals are reproducible. */
export const seededRandom = mulberry32;

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Linear-interpolated quantile of an ascending-sorted array (q in [0, 1]). */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface BootstrapOptions {
  resamples?: number;
  /** 0.05 gives a 95% interval. */
  alpha?: number;
  seed?: number;
}

/**
 * Percentile bootstrap interval for the mean. No interval (`ci` null) from fewer than 2 values or equal ones:
 * resampling them gives back the same mean every time, a zero-width "95% interval" that says nothing about the
 * noise, and that two rows' intervals would never overlap (compare.ts reads a missing interval as "may be noise").
 */
export function bootstrapCI(values: readonly number[], opts: BootstrapOptions = {}): MeanCI {
  const resamples = Math.max(1, Math.trunc(opts.resamples ?? 1000));
  const alpha = opts.alpha ?? 0.05;
  const n = values.length;
  const m = mean(values);
  if (m === null) return { n: 0, mean: null, ci: null };
  if (n < 2 || values.every((v) => v === values[0])) return { n, mean: m, ci: null };
  const rand = seededRandom(opts.seed ?? 0);
  const means = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rand() * n)];
    means[r] = s / n;
  }
  means.sort((x, y) => x - y);
  // Clamp so floating-point noise never puts the sample mean outside its own interval.
  const lo = Math.min(quantile(means, alpha / 2), m);
  const hi = Math.max(quantile(means, 1 - alpha / 2), m);
  return { n, mean: m, ci: { lo, hi } };
}

/** Inverse of the standard normal CDF (Acklam's approximation; plenty for CI quantiles). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Wilson score interval for k successes out of n (n = 0 → the uninformative [0, 1]). */
export function wilsonInterval(k: number, n: number, alpha = 0.05): Interval {
  if (n <= 0) return { lo: 0, hi: 1 };
  const z = normalQuantile(1 - alpha / 2);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

function rate(k: number, n: number, alpha: number): RateCI {
  return { rate: n === 0 ? 0 : k / n, ci: wilsonInterval(k, n, alpha) };
}

/** Win/tie/loss rates (for the first of the two compared candidates) with Wilson intervals. */
export function winRates(outcomes: readonly PairOutcome[], opts: { alpha?: number } = {}): WinRates {
  const alpha = opts.alpha ?? 0.05;
  let wins = 0;
  let ties = 0;
  let losses = 0;
  for (const o of outcomes) {
    if (o === 'win') wins++;
    else if (o === 'loss') losses++;
    else ties++;
  }
  const n = outcomes.length;
  return {
    n,
    wins,
    ties,
    losses,
    win: rate(wins, n, alpha),
    tie: rate(ties, n, alpha),
    loss: rate(losses, n, alpha),
  };
}

/**
 * Paired comparisons of two prompts scored on the same queries. The difference per query cancels the
 * query's difficulty, so its spread is much smaller than that of two independent means.
 */

/** Prior guess of the per-query SD of a paired difference on the 1–5 scale, and its weight in pseudo-observations. */
export const PRIOR_DIFF_SD = 0.6;
export const PRIOR_WEIGHT = 2;

export interface PairedDiff {
  /** Queries where both rewards parsed. */
  n: number;
  /** Mean of a − b over those queries (0 when n = 0). */
  mean: number;
  /** Standard error of that mean (Infinity when n = 0). */
  se: number;
}

/**
 * Mean and standard error of a − b over the queries both have. With 2–4 queries a sample SD is wild
 * (two equal integer differences give 0), so the variance is shrunk towards a prior (empirical-Bayes
 * style): a handful of lucky ties never looks like certainty.
 */
export function pairedDiff(a: readonly (number | null)[], b: readonly (number | null)[]): PairedDiff {
  const d: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined) d.push(x - y);
  }
  const n = d.length;
  if (n === 0) return { n: 0, mean: 0, se: Infinity };
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const ss = d.reduce((s, x) => s + (x - mean) ** 2, 0);
  const variance = (ss + PRIOR_WEIGHT * PRIOR_DIFF_SD ** 2) / (n - 1 + PRIOR_WEIGHT);
  return { n, mean, se: Math.sqrt(variance / n) };
}

/** Mean of the parsed values (null when none parsed). */
export function meanOf(xs: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const x of xs) {
    if (x === null) continue;
    sum += x;
    n++;
  }
  return n ? sum / n : null;
}

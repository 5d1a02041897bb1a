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

/**
 * How often a lead at least this large turns up by chance when the two prompts are equally good: the
 * one-sided tail of Student's t at `mean / se`, with the degrees of freedom `pairedDiff`'s shrunk variance
 * carries (n − 1 plus the prior's weight). A verdict that needs one standard error is passed by about one
 * tie in six, so a reader is told how weak a lead is instead of reading every "better" alike.
 */
export function chanceOfLead(d: PairedDiff): number {
  if (d.n === 0 || !Number.isFinite(d.se) || d.se <= 0) return d.mean > 0 ? 0 : 1;
  const t = d.mean / d.se;
  const df = d.n - 1 + PRIOR_WEIGHT;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** The regularised incomplete beta function I_x(a, b), by its continued fraction (Lentz's method). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b)) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let dd = 0;
  for (let i = 0; i <= 200; i++) {
    const m = Math.floor(i / 2);
    const num =
      i === 0
        ? 1
        : i % 2 === 0
          ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
          : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    dd = 1 + num * dd;
    dd = 1 / (Math.abs(dd) < tiny ? tiny : dd);
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = c * dd;
    f *= step;
    if (Math.abs(1 - step) < 1e-12) break;
  }
  return front * (f - 1);
}

/** ln B(a, b) from ln Γ (Lanczos, g = 7). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const x = z - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

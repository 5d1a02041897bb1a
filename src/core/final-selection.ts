/**
 * The end of a run: choose what to hand back and say how it compares with the starting prompt.
 *
 * A judge's score of one answer is a noisy sample, so "the best of many scores" is biased towards luck
 * (the winner's curse): a node scored on one easy query beats one that climbed for twenty levels. Here:
 *  - finalists come from where the search ended (the final beam, then the deepest levels), or, for the
 *    paper preset, the best path of the final beam exactly as the official code returns it;
 *  - every finalist is scored on the SAME validation queries, with the starting prompt (no examples)
 *    always among them as a control, and each finalist is tried with every allowed example count;
 *  - the queries arrive in small rounds and arms clearly behind the leader are dropped (racing), so
 *    calls go where the decision is close;
 *  - the result must beat the control by more than `verdictZ` standard errors of the paired
 *    difference; otherwise the starting prompt is returned, marked 'no-improvement'.
 */
import { normalisePrompt } from './prompts/optimizer';
import { meanOf, pairedDiff } from './paired-stats';
import type { Retriever } from './retrieval';
import type { RunCtx } from './run-context';
import type { Query, SearchNode, Verdict } from './types';
import { evaluatePrompt, takeFailures } from './evaluate';
import { mapOrdered } from './parallel';

/** A prompt with an example count, raced on the validation queries. */
export interface Arm {
  node: SearchNode;
  /** Examples retrieved per question. */
  k: number;
  /** The starting prompt without examples: never dropped, wins ties. */
  control: boolean;
  /** Reward per validation query scored so far (null = the judgement could not be read). */
  rewards: (number | null)[];
  dropped: boolean;
}

export interface FinalChoice {
  node: SearchNode;
  examplesPerQuery: number;
  verdict: Verdict;
  arms: Arm[];
}

export interface SearchView {
  /** Level 0 (the starting prompt). */
  root: SearchNode;
  /** The beam kept at each level, best first; the last entry is the final beam. */
  beams: readonly (readonly SearchNode[])[];
  /** All nodes of a level, in creation order. */
  level(depth: number): readonly SearchNode[];
}

export const DEFAULT_RACE_BATCH = 2;
export const DEFAULT_VERDICT_Z = 1;

/** What the official DRPO code returns: the best path of the final beam (the beam is ranked best first). */
export function officialPick(view: SearchView): SearchNode {
  for (let d = view.beams.length - 1; d >= 0; d--) {
    const top = view.beams[d]?.find((n) => n.reward !== null) ?? view.beams[d]?.[0];
    if (top) return top;
  }
  return view.root;
}

/**
 * Finalists from where the search ended: the final beam, then the rest of the last level by its own
 * reward (all scored on the same queries), then earlier beams going back. Distinct prompts, never the
 * starting prompt (it is the control), never a node without a reward.
 */
export function pickFinalists(view: SearchView, count: number): SearchNode[] {
  const out: SearchNode[] = [];
  const seen = new Set([normalisePrompt(view.root.prompt)]);
  const take = (n: SearchNode) => {
    if (out.length >= count || n.reward === null) return;
    const key = normalisePrompt(n.prompt);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(n);
  };
  const last = view.beams.length - 1;
  for (const n of view.beams[last] ?? []) take(n);
  const rest = [...view.level(last)].sort((a, b) => (b.reward ?? 0) - (a.reward ?? 0));
  for (const n of rest) take(n);
  for (let d = last - 1; d >= 1 && out.length < count; d--) for (const n of view.beams[d] ?? []) take(n);
  return out;
}

/** The example counts worth trying: distinct, and only 0 when there are no examples to retrieve. */
export function exampleOptions(options: readonly number[] | undefined, fallback: number, poolSize: number): number[] {
  if (poolSize === 0) return [0];
  const ks = (options && options.length ? options : [fallback]).map((k) => Math.max(0, Math.min(k, poolSize)));
  return [...new Set(ks)];
}

export async function chooseResult(
  ctx: RunCtx,
  view: SearchView,
  retriever: Retriever,
  queries: readonly Query[],
  poolSize: number,
): Promise<FinalChoice> {
  const s = ctx.s;
  const ks = exampleOptions(s.inferenceExampleOptions, s.iclKInference, poolSize);
  const pick = officialPick(view);
  if (queries.length === 0) {
    // Nothing to check against: hand back the search's own pick, and say it was not verified.
    const k = ks.includes(s.iclKInference) ? s.iclKInference : ks[ks.length - 1]!;
    return {
      node: pick,
      examplesPerQuery: k,
      verdict: { outcome: 'unverified', queries: 0, examplesPerQuery: k },
      arms: [],
    };
  }
  const finalists =
    (s.finalSelection ?? 'race') === 'last-beam'
      ? [pick].filter((n) => normalisePrompt(n.prompt) !== normalisePrompt(view.root.prompt))
      : pickFinalists(view, s.validationCandidates ?? 3);
  const arms: Arm[] = [];
  const arm = (node: SearchNode, k: number, control = false) =>
    arms.push({ node, k, control, rewards: [], dropped: false });
  arm(view.root, 0, true);
  for (const k of ks) if (k > 0) arm(view.root, k);
  for (const n of finalists) for (const k of ks) arm(n, k);

  const z = s.verdictZ ?? DEFAULT_VERDICT_Z;
  const batch = Math.max(1, s.raceBatch ?? DEFAULT_RACE_BATCH);
  const minQueries = Math.min(queries.length, 2 * batch);
  let used = 0;
  while (used < queries.length) {
    const round = queries.slice(used, used + batch);
    // Every (arm, query) pair of a round is independent; rewards land in arm and query order.
    const jobs = arms.filter((a) => !a.dropped).flatMap((a) => round.map((q) => ({ a, q })));
    await mapOrdered(
      jobs,
      ctx.concurrency,
      async ({ a, q }) => evaluatePrompt(ctx, a.node.prompt, await retriever.retrieve(q.text, a.k), q),
      async (out, { a }) => {
        for (const f of takeFailures(ctx, out)) await ctx.recordFailure({ ...f, stage: `validation-${f.stage}` });
        a.rewards.push(out.evaluation.reward);
      },
    );
    used += round.length;
    const alive = arms.filter((a) => !a.dropped);
    const lead = leader(alive);
    for (const a of alive) {
      if (a === lead || a.control) continue;
      const d = pairedDiff(lead.rewards, a.rewards);
      if (d.n > 0 && d.mean > z * d.se) a.dropped = true;
    }
    if (used >= minQueries && decided(arms, z)) break;
  }

  const control = arms[0]!;
  const contenders = arms.filter((a) => !a.dropped);
  const best = leader(contenders.filter((a) => !a.control)) as Arm | undefined;
  const win = leader(contenders);
  for (const a of arms) recordValidation(a);
  const bestDiff = best ? pairedDiff(best.rewards, control.rewards) : null;
  if (!win.control && bestDiff && bestDiff.n > 0 && bestDiff.mean > z * bestDiff.se) {
    return {
      node: win.node,
      examplesPerQuery: win.k,
      arms,
      verdict: {
        outcome: 'improved',
        queries: bestDiff.n,
        ...pairedMeans(win.rewards, control.rewards),
        delta: bestDiff.mean,
        standardError: bestDiff.se,
        examplesPerQuery: win.k,
      },
    };
  }
  const n = control.rewards.filter((r) => r !== null).length;
  const c = meanOf(control.rewards);
  const verdict: Verdict = { outcome: 'no-improvement', queries: n, examplesPerQuery: 0 };
  if (c !== null) verdict.validation = verdict.initialValidation = c;
  if (bestDiff && bestDiff.n > 0) verdict.bestCandidate = { delta: bestDiff.mean, standardError: bestDiff.se };
  return { node: view.root, examplesPerQuery: 0, arms, verdict };
}

/** Highest mean wins; ties go to the earlier arm (the control comes first, so a tie is no improvement). */
function leader(arms: readonly Arm[]): Arm {
  let best = arms[0]!;
  let bestMean = meanOf(best?.rewards ?? []) ?? -Infinity;
  for (const a of arms.slice(1)) {
    const m = meanOf(a.rewards) ?? -Infinity;
    if (m > bestMean) {
      best = a;
      bestMean = m;
    }
  }
  return best;
}

/** Decided when at most one arm besides the control is left and it is clearly above or below the control. */
function decided(arms: readonly Arm[], z: number): boolean {
  const others = arms.filter((a) => !a.dropped && !a.control);
  if (others.length === 0) return true;
  if (others.length > 1) return false;
  const d = pairedDiff(others[0]!.rewards, arms[0]!.rewards);
  return d.n > 0 && Math.abs(d.mean) > 2 * z * d.se;
}

/** Means over the queries both arms have, so their difference is the paired difference. */
function pairedMeans(a: readonly (number | null)[], b: readonly (number | null)[]) {
  const keep = a.map((x, i) => x !== null && b[i] !== null && b[i] !== undefined);
  const pick = (xs: readonly (number | null)[]) => meanOf(xs.filter((_, i) => keep[i])) ?? 0;
  return { validation: pick(a), initialValidation: pick(b) };
}

/** A node shows the best validation mean among its arms (the candidate panel's badge). */
function recordValidation(a: Arm): void {
  const m = meanOf(a.rewards);
  if (m === null) return;
  if (a.node.validationReward === undefined || m > a.node.validationReward) a.node.validationReward = m;
}

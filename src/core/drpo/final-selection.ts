/**
 * The end of a run: choose what to hand back and say how it compares with the starting prompt.
 *
 * A judge's score of one answer is a noisy sample, so "the best of many scores" is biased towards luck
 * (the winner's curse): a node scored on one easy query beats one that climbed for twenty levels. Here:
 *  - finalists come from where the search ended (the final beam, then the deepest levels), or, for the
 *    paper preset, the best path of the final beam exactly as the official code returns it;
 *  - every finalist is scored on the SAME validation queries, with the starting prompt (no examples)
 *    always among them as a control, and each is tried with every allowed example count: a small
 *    factorial experiment where "does the prompt beat the start?" is pooled over example counts and
 *    "do examples help?" over prompts;
 *  - the queries arrive in small rounds and whatever is clearly behind is dropped (racing), so calls
 *    go where the decision is close;
 *  - the claim is made on questions the choice never saw: the race picks the best prompt and example
 *    count on the first validation queries, and only then are it and the control scored on the last
 *    `verdictQueries`. Picking the best of several noisy cells flatters the winner (the winner's curse),
 *    so a verdict on the race's own data says "improved" far too often when the search found nothing
 *    (measured on simulated models whose rewrites are random; the figures are in the README, "Presets").
 *    The result must beat the control there by more than `verdictZ` standard errors of the paired
 *    difference; otherwise the starting prompt is returned, marked 'no-improvement'. With nothing to keep
 *    back (fewer than two held-out questions, or `verdictQueries` 0) a clear lead in the race is handed
 *    back marked 'unverified': it may still say "no improvement", but never confirm a gain.
 */
import { normalisePrompt } from './prompts/optimizer';
import { meanOf, pairedDiff, type PairedDiff } from './paired-stats';
import type { Retriever } from './retrieval';
import { mayCallAhead, type RunCtx } from './run-context';
import { scoringCost } from './job-costs';
import type { Query } from '../contracts/run-config';
import type { SearchNode } from '../contracts/search-node';
import type { Verdict } from '../contracts/alignment';
import { evaluatePrompt, prefetchAspects, takeFailures } from './score-prompt';
import { mapOrdered } from '../calls/parallel';
import { SETTING_DEFAULTS, exampleOptions, finalCheckShape } from '../plan/settings-schema';
import type { SearchSettings } from '../contracts/run-config';

/**
 * Standard errors by which a finalist or an example count must trail the best to be dropped from the race.
 * The race only decides where the next calls go and which candidate reaches the verdict (which has its
 * own questions and its own `verdictZ`), so it drops early.
 */
const RACE_DROP_Z = 0.5;

/**
 * Your own prompt with examples added claims less and costs more: the prompt is unchanged, and the
 * examples cost every future answer prompt tokens and length. That claim needs this many times the
 * evidence. (Tuning worlds: on a model whose examples change nothing, quick claimed such a gain in 21 of
 * 256 runs at 1×, in 9 at 2×; where the search works, it gave up 5 small real gains in 240 runs, about
 * 10% of the gap each, 0.2 points of the mean.)
 */
const EXAMPLES_ONLY_EVIDENCE = 2;

/** One prompt (a row) with one example count (a column), scored on the validation queries. */
export interface Cell {
  node: SearchNode;
  /** Examples retrieved per question. */
  k: number;
  /** Reward per validation query, by query index (null = not scored, or unreadable). */
  rewards: (number | null)[];
  /** Answers it got, and how many of them had text (an empty answer scores 1 without a judge). */
  answers?: number;
  withText?: number;
}

export interface FinalChoice {
  node: SearchNode;
  examplesPerQuery: number;
  verdict: Verdict;
  /** "no-improvement" with a candidate that reached the verdict: it, with its example count (for the file). */
  candidate?: { node: SearchNode; k: number };
}

export interface SearchView {
  /** Level 0 (the starting prompt). */
  root: SearchNode;
  /** The beam kept at each level, best first; the last entry is the final beam. */
  beams: readonly (readonly SearchNode[])[];
  /** All nodes of a level, in creation order. */
  level(depth: number): readonly SearchNode[];
}

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

/** The search's own pick, handed back unchecked (no queries to check it on, or the run stopped early). */
export function unverifiedChoice(node: SearchNode, s: SearchSettings, poolSize: number): FinalChoice {
  const ks = exampleOptions(s.inferenceExampleOptions, s.iclKInference, poolSize);
  const k = ks.includes(s.iclKInference) ? s.iclKInference : ks[ks.length - 1]!;
  return { node, examplesPerQuery: k, verdict: { outcome: 'unverified', queries: 0, examplesPerQuery: k } };
}

/**
 * Validation as a small factorial experiment: rows are the starting prompt and the finalists, columns
 * the example counts; every cell is scored on the same queries. Whether a finalist beats the start is
 * judged pooled over the example counts, and whether examples help pooled over the prompts, so each
 * decision rests on all the data instead of one noisy cell. Queries arrive in rounds; a finalist or an
 * example count clearly behind the best is dropped (racing), and the race stops once nothing is close.
 */
export async function chooseResult(
  ctx: RunCtx,
  view: SearchView,
  retriever: Retriever,
  queries: readonly Query[],
  poolSize: number,
): Promise<FinalChoice> {
  const s = ctx.s;
  const pick = officialPick(view);
  // Nothing to check against: hand back the search's own pick, and say it was not verified.
  if (queries.length === 0) return unverifiedChoice(pick, s, poolSize);
  // Column 0 (no examples) always exists: the control is the starting prompt as the user has it.
  const {
    cols,
    officialPick: pickOnly,
    finalists: wanted,
    split,
    batch,
    minRace,
  } = finalCheckShape(s, queries.length, poolSize);
  const finalists = pickOnly
    ? [pick].filter((n) => normalisePrompt(n.prompt) !== normalisePrompt(view.root.prompt))
    : pickFinalists(view, wanted);
  const rows = [view.root, ...finalists];
  const grid = rows.map((node) => cols.map((k): Cell => ({ node, k, rewards: [] })));
  const rowAlive = rows.map(() => true);
  const colAlive = cols.map(() => true);
  const z = s.verdictZ ?? SETTING_DEFAULTS.verdictZ;
  const raceQueries = queries.slice(0, split.race);
  const verdictQueries = queries.slice(split.race);
  const view2 = (): Factorial => ({ grid, rows: live(rowAlive), cols: live(colAlive) });

  let used = 0;
  while (used < raceQueries.length) {
    const round = raceQueries.slice(used, used + batch).map((q, i) => ({ q, qi: used + i }));
    // With parallel calls, the next round's aspect choices are fetched while this round runs: only when that
    // round surely runs (the race cannot settle before minRace). One it may not need would be a call made at
    // --concurrency 4 and not at 1, and the same run would count different calls and tokens.
    if (mayCallAhead(ctx) && used + batch < minRace) {
      for (const q of raceQueries.slice(used + batch, used + 2 * batch)) prefetchAspects(ctx, q.text);
    }
    const cellsAlive = live(rowAlive).flatMap((r) => live(colAlive).map((c) => grid[r]![c]!));
    await scoreRound(ctx, retriever, cellsAlive, round);
    used += round.length;
    const f = view2();
    // Racing: a finalist clearly behind the best finalist, or an example count clearly behind the best
    // count, gets no more queries. The start (row 0) and "no examples" (column 0) stay: the control.
    const bestRow = leadingFinalist(f);
    for (const r of f.rows) {
      if (r === 0) continue;
      // Behind the best finalist, or behind the start itself: it cannot be the result.
      const behind = [bestRow, 0].some((b) => {
        if (b === undefined || b === r) return false;
        const d = rowDiff(f, b, r);
        return d.n > 0 && d.mean > RACE_DROP_Z * d.se;
      });
      if (behind) rowAlive[r] = false;
    }
    const bestCol = best(f.cols, (c) => colMean(f, c));
    // The leading finalist's own best count stays: pooled over prompts, a count can trail only because
    // the start does badly with it, while it is what makes the leader good.
    const leaderCol = bestRow === undefined ? undefined : bestCountOf(f, bestRow);
    for (const c of f.cols) {
      if (c === 0 || bestCol === undefined || c === bestCol || c === leaderCol) continue;
      const d = colDiff(f, bestCol, c);
      if (d.n > 0 && d.mean > RACE_DROP_Z * d.se) colAlive[c] = false;
    }
    if (used >= minRace && settled(view2())) break;
  }

  const f = view2();
  for (const row of grid) recordRace(row);
  // Said with the verdict: how many held-out questions the check had, how many of them the race used to
  // choose (it may settle before its last), and how many were kept back for the verdict (used or not).
  const counts = { heldOutQueries: queries.length, raceQueries: used, keptBackQueries: verdictQueries.length };
  // Ties go to fewer examples (cheaper, shorter prompts) and to the start.
  const kCol = best(f.cols, (c) => colMean(f, c)) ?? 0;
  const row = leadingFinalist(f);
  const prompt = row === undefined ? null : rowDiff(f, row, 0);
  const examples = kCol === 0 ? null : colDiff(f, kCol, 0);
  const clear = (d: PairedDiff | null, need = z): boolean => d !== null && d.n > 0 && d.mean > need * d.se;
  // With questions kept back, the race only has to find the candidate (ahead of the control at all);
  // the verdict below decides. Without (one validation question, or verdictQueries 0), the race's data
  // must show it, and then can only hand it back unconfirmed.
  const promising = (d: PairedDiff | null, need = z): boolean =>
    verdictQueries.length > 0 ? d !== null && d.n > 0 && d.mean > 0 : clear(d, need);
  let chosen: Cell | null = null;
  // The winning prompt ships with its own best example count among those still racing (an example count
  // can suit one prompt and not another); the start alone, with the count that won pooled over prompts.
  let need = z;
  if (row !== undefined && promising(prompt)) chosen = grid[row]![bestCountOf(f, row) ?? 0]!;
  else if (promising(examples, EXAMPLES_ONLY_EVIDENCE * z)) {
    chosen = grid[0]![kCol]!;
    need = EXAMPLES_ONLY_EVIDENCE * z;
  }
  let control = grid[0]![0]!;
  if (chosen && verdictQueries.length > 0) {
    // Fresh cells on the kept-back questions: the verdict never sees the data that chose the winner.
    const winner: Cell = { node: chosen.node, k: chosen.k, rewards: [] };
    control = { node: view.root, k: 0, rewards: [] };
    await scoreRound(
      ctx,
      retriever,
      [winner, control],
      verdictQueries.map((q, i) => ({ q, qi: i })),
    );
    chosen = winner;
  }
  // A verdict on empty answers is no verdict: the endpoint (or model) stopped answering, and a resume once it
  // is fixed asks again (run.ts drops the empty replies from the cache).
  if (onlyEmpty(chosen ? [chosen, control] : grid.flat())) throw ctx.gw.emptyReplies.error('policy', true);
  // The winner must beat the control on its own, not only pooled over example counts (a finalist can
  // win its row because the start does badly with examples).
  if (chosen) {
    const d = pairedDiff(chosen.rewards, control.rewards);
    const means = pairedMeans(chosen.rewards, control.rewards);
    if (d.n > 0) recordVerdict(view.root, chosen, means, d.n);
    if (clear(d, need)) {
      const verdict: Verdict = {
        // With nothing kept back (one held-out question, or verdictQueries 0) the questions that chose it
        // also judged it: the winner's curse makes such a lead no evidence of a gain, so it ships as the
        // check's choice, not confirmed (the file's keptBackQueries 0 says why; verdict-text words it).
        outcome: verdictQueries.length > 0 ? 'improved' : 'unverified',
        queries: d.n,
        ...means,
        delta: d.mean,
        standardError: d.se,
        examplesPerQuery: chosen.k,
        ...counts,
      };
      return { node: chosen.node, examplesPerQuery: chosen.k, verdict };
    }
    if (d.n > 0) {
      // Say how close the candidate came, on the questions that judged it (and the start's score there).
      const verdict: Verdict = {
        outcome: 'no-improvement',
        queries: d.n,
        validation: means.initialValidation,
        initialValidation: means.initialValidation,
        examplesPerQuery: 0,
        bestCandidate: { validation: means.validation, standardError: d.se },
        ...counts,
      };
      return { node: view.root, examplesPerQuery: 0, verdict, candidate: { node: chosen.node, k: chosen.k } };
    }
  }
  if (control !== grid[0]![0]!) {
    // The verdict was taken, but none of the candidate's answers there could be read beside the start's:
    // no figures. The start's own on the kept-back questions would be read as the race's (verdictBasis).
    const verdict: Verdict = { outcome: 'no-improvement', queries: 0, examplesPerQuery: 0, ...counts };
    return { node: view.root, examplesPerQuery: 0, verdict };
  }
  const scored = control.rewards.filter((r) => r !== null && r !== undefined).length;
  // Nothing reached the verdict: the figures are the start's (without examples) on the race's questions.
  const verdict: Verdict = { outcome: 'no-improvement', queries: scored, examplesPerQuery: 0, ...counts };
  const c = cellMean(control);
  if (c !== null) verdict.validation = verdict.initialValidation = c;
  return { node: view.root, examplesPerQuery: 0, verdict };
}

/**
 * Some of the final check does not depend on the search: every race scores the starting prompt on its
 * first round at every example count, and the control (start, no examples) on its second round too.
 * With parallel calls they are scored while the search runs, into the call cache the race then reads
 * (calls made ahead: counted once, when made). The same calls are made either way, so results and
 * counts are the same at any concurrency. Failures are reported by the race, not here.
 */
export async function warmStart(
  ctx: RunCtx,
  startPrompt: string,
  retriever: Retriever,
  queries: readonly Query[],
  poolSize: number,
  stopped: () => boolean = () => false,
): Promise<void> {
  // Not under a call or token budget either: every call goes to the search first, the check may never be reached.
  if (queries.length === 0 || !mayCallAhead(ctx)) return;
  const s = ctx.s;
  const early: RunCtx = { ...ctx, gw: ctx.gw.ahead() };
  const { cols, split, firstRound, minRace } = finalCheckShape(s, queries.length, poolSize);
  // Only the race's questions: the kept-back ones are answered only if the race finds a candidate.
  const race = queries.slice(0, split.race);
  const jobs = [
    ...cols.flatMap((k) => race.slice(0, firstRound).map((q) => ({ k, q }))),
    ...race.slice(firstRound, minRace).map((q) => ({ k: 0, q })),
  ];
  await mapOrdered(jobs, ctx.concurrency, async ({ k, q }) => {
    // The run ended (failed, paused) while these waited: no call may outlive it.
    if (stopped()) return;
    try {
      await evaluatePrompt(early, startPrompt, await retriever.retrieve(q.text, k), q);
    } catch {
      // A stop (cancel, budget) surfaces where the race makes the same call.
    }
  });
}

/** Scores cells on a round of queries. Every (cell, query) pair is independent; rewards land by query index. */
async function scoreRound(
  ctx: RunCtx,
  retriever: Retriever,
  cells: readonly Cell[],
  round: readonly { q: Query; qi: number }[],
): Promise<void> {
  const jobs = cells.flatMap((cell) => round.map((x) => ({ cell, ...x })));
  await mapOrdered(
    jobs,
    ctx.concurrency,
    async ({ cell, q }) => evaluatePrompt(ctx, cell.node.prompt, await retriever.retrieve(q.text, cell.k), q),
    async (out, { cell, qi }) => {
      for (const f of takeFailures(ctx, out.evaluation.query, out))
        await ctx.recordFailure({ ...f, stage: `validation-${f.stage}` });
      cell.rewards[qi] = out.evaluation.reward;
      cell.answers = (cell.answers ?? 0) + 1;
      if (out.evaluation.answer.trim()) cell.withText = (cell.withText ?? 0) + 1;
    },
    ctx.gate?.admission(() => scoringCost(ctx.s)),
  );
}

/** The cells got answers, and not one of them had text. */
function onlyEmpty(cells: readonly Cell[]): boolean {
  const sum = (f: (c: Cell) => number | undefined) => cells.reduce((a, c) => a + (f(c) ?? 0), 0);
  return sum((c) => c.answers) > 0 && sum((c) => c.withText) === 0;
}

/** The live part of the validation grid. */
interface Factorial {
  grid: Cell[][];
  rows: number[];
  cols: number[];
}

const live = (alive: boolean[]) => alive.flatMap((a, i) => (a ? [i] : []));

/** Per query, the mean of the given cells (null where none was scored): pooling keeps queries as the unit. */
function perQuery(cells: readonly Cell[]): (number | null)[] {
  const n = Math.max(0, ...cells.map((c) => c.rewards.length));
  return Array.from({ length: n }, (_, q) => meanOf(cells.map((c) => c.rewards[q] ?? null)));
}

const rowCells = (f: Factorial, r: number) => f.cols.map((c) => f.grid[r]![c]!);
const colCells = (f: Factorial, c: number) => f.rows.map((r) => f.grid[r]![c]!);
const rowMean = (f: Factorial, r: number) => meanOf(perQuery(rowCells(f, r)));
const colMean = (f: Factorial, c: number) => meanOf(perQuery(colCells(f, c)));
/** Row a − row b, pooled over the live example counts, paired by query. */
const rowDiff = (f: Factorial, a: number, b: number) => pairedDiff(perQuery(rowCells(f, a)), perQuery(rowCells(f, b)));
/** Column a − column b, pooled over the live prompts, paired by query. */
const colDiff = (f: Factorial, a: number, b: number) => pairedDiff(perQuery(colCells(f, a)), perQuery(colCells(f, b)));

/** The index with the highest mean; ties keep the earlier (lower) one. */
function best(indices: readonly number[], mean: (i: number) => number | null): number | undefined {
  let out: number | undefined;
  let top = -Infinity;
  for (const i of indices) {
    const m = mean(i) ?? -Infinity;
    if (out === undefined || m > top) {
      out = i;
      top = m;
    }
  }
  return out;
}

/** The live finalist (never the start) with the best mean pooled over the live example counts. */
const leadingFinalist = (f: Factorial) =>
  best(
    f.rows.filter((r) => r > 0),
    (r) => rowMean(f, r),
  );

/** The live example count with which row `r` scores best (its own, not pooled over prompts). */
const bestCountOf = (f: Factorial, r: number) => best(f.cols, (c) => cellMean(f.grid[r]![c]!));

/** Nothing left is close: at most one finalist and one example count besides none, each far from the control. */
function settled(f: Factorial): boolean {
  const finalists = f.rows.filter((r) => r > 0);
  const counts = f.cols.filter((c) => c > 0);
  if (finalists.length > 1 || counts.length > 1) return false;
  const far = (d: PairedDiff) => d.n > 0 && Math.abs(d.mean) > 2 * RACE_DROP_Z * d.se;
  return finalists.every((r) => far(rowDiff(f, r, 0))) && counts.every((c) => far(colDiff(f, c, 0)));
}

/** Means over the queries both have, so their difference is the paired difference. */
function pairedMeans(a: readonly (number | null)[], b: readonly (number | null)[]) {
  const keep = (i: number) => a[i] !== null && a[i] !== undefined && b[i] !== null && b[i] !== undefined;
  const pick = (xs: readonly (number | null)[]) => meanOf(xs.filter((_, i) => keep(i))) ?? 0;
  return { validation: pick(a), initialValidation: pick(b) };
}

/** A cell's mean over the queries it was scored on (its rewards array has holes where it was not). */
const cellMean = (c: Cell) => meanOf(c.rewards.filter((r) => r !== undefined));

/**
 * A row's race scores on its node, one per example count it was scored with, each with the questions it is
 * over (the candidate panel's badge: a row dropped early has fewer).
 */
function recordRace(row: readonly Cell[]): void {
  const node = row[0]?.node;
  if (!node) return;
  const race = row.flatMap((c) => {
    const m = cellMean(c);
    const questions = c.rewards.filter((r) => r !== null && r !== undefined).length;
    return m === null ? [] : [{ examplesPerQuery: c.k, reward: m, questions }];
  });
  if (race.length === 0) return;
  node.race = race;
  node.validationReward = Math.max(...race.map((r) => r.reward));
}

/**
 * The verdict's figures on the nodes, exactly as the alignment file gets them: the candidate's mean and
 * the start's (without examples) over the questions both were scored on. The start with examples added
 * is the start's node too, so it gets both.
 */
function recordVerdict(
  root: SearchNode,
  chosen: Cell,
  means: { validation: number; initialValidation: number },
  questions: number,
) {
  const start = { examplesPerQuery: 0, reward: means.initialValidation, questions };
  const candidate = { examplesPerQuery: chosen.k, reward: means.validation, questions };
  if (chosen.node === root) root.verdict = [start, candidate];
  else {
    root.verdict = [start];
    chosen.node.verdict = [candidate];
  }
}

/**
 * Which evaluated alignments scored below what they should beat. The Evaluate view names the
 * references by label (so a stored report reads the same a week later): "Starting prompt" (or
 * "Starting prompt of “X”, “Y” and “Z”" when alignments started differently: every alignment that started
 * there is named, so each finds its own), then "Baseline", then
 * "No system prompt". A starting prompt that is the baseline's text, with the baseline chosen too, is one
 * row named for both ("Starting prompt (also the baseline)"). An alignment is compared with its own
 * starting prompt when present, else the first reference in that order.
 */
import { BASELINE_LABEL, BASELINE_PROMPT, NO_SYSTEM_LABEL } from '../eval-prompts';
import type { CandidateReport, EvalCandidate, EvalReport, Interval } from '../eval-types';
import { meanInterval } from './summarize';
import { mean } from '../stats';
import type { AlignmentArtifact } from '../../contracts/alignment';
import { comparisonPrompt, recordedAnswerTokens } from '../../formats/alignment-facts';
import { plural } from '../../words/list-words';
import { inferenceExamples } from '../../words/verdict-text';
import { listInWords } from '../../words/list-words';
import { DEFAULT_ANSWER_TOKENS, uniqueLabels } from '../evaluate-alignments';
import { candidateKey, sameCandidate } from '../identical';

export const STARTING_LABEL = 'Starting prompt';
/** Ends the label of a starting prompt that is the baseline's text when the baseline was chosen too. */
const ALSO_BASELINE = ' (also the baseline)';

/**
 * The reference candidates: the prompts the chosen alignments started from (`starting`; each once), then the
 * two the paper compares against. A start equal to the baseline prompt is evaluated once, under the name the
 * user chose: a starting prompt, said to be the baseline too when that was chosen as well. One rule for the
 * page's Evaluate view and `drpo eval`.
 */
export function referenceCandidates(opts: {
  baseline?: boolean;
  noSystem?: boolean;
  starting?: readonly { name: string; artifact: AlignmentArtifact }[];
}): EvalCandidate[] {
  const out: EvalCandidate[] = [];
  let baseline = opts.baseline ?? false;
  const starts = new Map<string, string[]>();
  for (const a of opts.starting ?? []) {
    const prompt = comparisonPrompt(a.artifact);
    starts.set(prompt, [...(starts.get(prompt) ?? []), a.name]);
  }
  for (const [prompt, names] of starts) {
    const label = startingLabelFor(names, starts.size > 1);
    const both = baseline && prompt === BASELINE_PROMPT;
    if (both) baseline = false;
    out.push({ label: both ? `${label}${ALSO_BASELINE}` : label, systemPrompt: prompt });
  }
  if (baseline) out.push({ label: BASELINE_LABEL, systemPrompt: BASELINE_PROMPT });
  if (opts.noSystem) out.push({ label: NO_SYSTEM_LABEL, systemPrompt: null });
  return out;
}

/**
 * The chosen alignments all started from the baseline prompt: their starting prompt and the baseline are one
 * prompt (referenceCandidates evaluates it once), so the page offers the two as one choice.
 */
export function startIsBaseline(chosen: readonly { artifact: AlignmentArtifact }[]): boolean {
  return chosen.length > 0 && chosen.every((c) => comparisonPrompt(c.artifact) === BASELINE_PROMPT);
}

/**
 * Everything one evaluation compares: the chosen alignments (each with its own example count, unless `iclK`
 * sets one for all), then the references. One rule for the page's Evaluate view and `drpo eval`.
 *
 * Reports, stored ones too, tell a reference row by its label alone (belowReferences, defaultPairs), so an
 * alignment is never labelled like one: a name that reads as a reference in any case ("Baseline", "no system
 * prompt") becomes "Baseline (alignment)", and a repeated name "A (2)". The starting prompts are named after
 * these labels, so every alignment keeps its own row, answers and start.
 */
export function evalCandidates(opts: {
  chosen: readonly { name: string; artifact: AlignmentArtifact }[];
  iclK?: number;
  starting?: boolean;
  baseline?: boolean;
  noSystem?: boolean;
}): EvalCandidate[] {
  const { chosen } = opts;
  const own = uniqueLabels(
    chosen.map(({ name, artifact }) => {
      const iclK = opts.iclK ?? inferenceExamples(artifact);
      // Its start, word for word, with no examples retrieved (--icl-k may add some: then it is another prompt).
      const unchanged =
        artifact.systemPrompt === comparisonPrompt(artifact) && Math.min(iclK, artifact.icl.length) === 0;
      return {
        label: readsAsReference(name) ? `${name.trim()} (alignment)` : name,
        systemPrompt: artifact.systemPrompt,
        icl: artifact.icl,
        iclK,
        ...(unchanged ? { unchanged: true as const } : {}),
      };
    }),
  );
  return [
    ...own,
    ...referenceCandidates({
      ...(opts.baseline ? { baseline: true } : {}),
      ...(opts.noSystem ? { noSystem: true } : {}),
      ...(opts.starting ? { starting: chosen.map((c, i) => ({ name: own[i]!.label, artifact: c.artifact })) } : {}),
    }),
  ];
}

/** The answer length of an evaluation, and what it was taken from. */
export interface AnswerLength {
  /** The longest answer, in tokens, for every candidate. */
  maxTokens: number;
  /** The answer lengths the chosen alignments' runs recorded, each once, smallest first (empty: none did). */
  recorded: number[];
  /** How many of the chosen alignments record none. */
  unrecorded: number;
}

/**
 * The answer length of an evaluation unless the user sets one (the Evaluate view's field, `--max-tokens`): one
 * rule for the page and `drpo eval`, so the two score the same file alike (they once differed, 512 and 1024 tokens,
 * and gave opposite verdicts on one file). An evaluation should measure an alignment as it will be used, and its
 * prompt was tuned on answers of its run's length: a prompt that asks for depth scores otherwise when answers may
 * run three times as long, or are cut where its run's were not. So the length its run's policy answered with.
 * Every candidate answers with one length (a fair comparison gives each row the same room): alignments whose runs
 * differ get the longest, which cuts none of them shorter than its run did. None recorded (references alone,
 * converted or older files): DEFAULT_ANSWER_TOKENS.
 */
export function answerLength(chosen: readonly { artifact: AlignmentArtifact }[]): AnswerLength {
  const each = chosen.map((c) => recordedAnswerTokens(c.artifact));
  const recorded = [...new Set(each)].filter((n): n is number => n !== undefined).sort((a, b) => a - b);
  const unrecorded = each.filter((n) => n === undefined).length;
  return { maxTokens: recorded.length ? Math.max(...recorded) : DEFAULT_ANSWER_TOKENS, recorded, unrecorded };
}

/**
 * Where `answerLength` took its length from, in words to follow "up to N tokens, ": "as the alignment’s run
 * answered", "the longest the alignments’ runs answered with (320 and 1024)", "the default, as …"; null for the
 * plain default (no alignment chosen). `alignments`: how many are chosen.
 */
export function answerLengthSource(l: AnswerLength, alignments: number): string | null {
  const one = alignments === 1;
  if (l.recorded.length === 0) {
    if (alignments === 0) return null;
    return one
      ? 'the default, as the alignment file records no answer length of its run'
      : 'the default, as the alignment files record no answer length of their runs';
  }
  const runs = one ? 'the alignment’s run' : 'the alignments’ runs';
  if (l.recorded.length === 1 && l.unrecorded === 0) return `as ${runs} answered`;
  const none =
    l.unrecorded === 0 ? '' : `; ${plural(l.unrecorded, 'file')} ${l.unrecorded === 1 ? 'records' : 'record'} none`;
  const which = l.recorded.length === 1 ? 'the one' : 'the longest';
  return `${which} ${runs} answered with (${listInWords(l.recorded.map(String))}${none})`;
}

/**
 * Whether two alignments would be one prompt in an evaluation (identical.ts): the same system prompt, and the
 * same examples retrieved from, as many per question. The whole pool counts, not its first few: each question
 * retrieves its own. (An alignment saved from a run's closest candidate is that candidate.)
 */
export function evaluatedAlike(a: AlignmentArtifact, b: AlignmentArtifact): boolean {
  const key = (artifact: AlignmentArtifact) => candidateKey(evalCandidates({ chosen: [{ name: '', artifact }] })[0]!);
  return key(a) === key(b);
}

/**
 * The alignment is its starting prompt, word for word, and retrieves no examples (a run that found no
 * improvement hands its start back): evaluated beside that start, the two are one prompt (identical.ts).
 */
export function keepsItsStart(a: AlignmentArtifact): boolean {
  return a.systemPrompt === comparisonPrompt(a) && inferenceExamples(a) === 0;
}

const quoted = (name: string) => `“${name}”`;

function startingLabelFor(alignments: readonly string[], several: boolean): string {
  return several ? `${STARTING_LABEL} of ${listInWords(alignments.map(quoted))}` : STARTING_LABEL;
}

const REFERENCE_LABELS = [STARTING_LABEL, BASELINE_LABEL, NO_SYSTEM_LABEL];
const STARTING_OF = `${STARTING_LABEL} of “`;

/** A starting prompt's label without " (also the baseline)". */
const startingPart = (label: string) => (label.endsWith(ALSO_BASELINE) ? label.slice(0, -ALSO_BASELINE.length) : label);

/** A starting prompt's row (one alignment's, or several alignments' shared one). */
export const isStartingLabel = (label: string): boolean => {
  const l = startingPart(label);
  return l === STARTING_LABEL || l.startsWith(STARTING_OF);
};

export function isReferenceLabel(label: string): boolean {
  return REFERENCE_LABELS.includes(label) || isStartingLabel(label);
}

/** The row of the baseline prompt among `labels`: its own, or a starting prompt that is the baseline too. */
function baselineLabelIn(labels: readonly string[]): string | undefined {
  return (
    labels.find((l) => l === BASELINE_LABEL) ?? labels.find((l) => isStartingLabel(l) && l.endsWith(ALSO_BASELINE))
  );
}

/** A name a reader could take for a reference row: a reference label in any case, spaces around. */
function readsAsReference(name: string): boolean {
  const n = name.trim().toLowerCase();
  const start = startingPart(n);
  return (
    REFERENCE_LABELS.some((l) => l.toLowerCase() === n) ||
    start === STARTING_LABEL.toLowerCase() ||
    start.startsWith(STARTING_OF.toLowerCase())
  );
}

export interface BelowReference {
  candidate: string;
  reference: string;
  /** The questions both rows were scored on (paired by query id): the two means are over these alone. */
  questions: number;
  /** The questions the evaluation asked (the sentence names the shared ones when fewer). */
  asked: number;
  candidateMean: number;
  referenceMean: number;
  /**
   * The interval (the report's level, 95%) of the mean per-question difference, alignment minus reference; null
   * from 1 question, or when the gap is the same on every question (stats.ts gives no interval there).
   */
  difference: Interval | null;
  /** On how many of the questions it scored lower, and on how many the two differ at all (the sign test's counts). */
  lowerOn: number;
  differing: number;
  /** The alignment is its starting prompt, unchanged (its run found no improvement): named so in the words. */
  unchanged?: boolean;
  /**
   * The gap may be noise: its interval reaches 0, or a sign test cannot rule chance out (it alone decides when
   * there is no interval). The sign test is a floor for few questions, where a bootstrap interval is too narrow:
   * lower on 3 of 3 has a chance of 2 × 0.5³ = 25% under no difference, whatever the gaps; lower on every one of
   * 6 or more is not noise at 95%.
   */
  mayBeNoise: boolean;
}

/**
 * The row of the prompt an alignment started from, among `labels` (its own when several starts are shown).
 * Found by the quoted name, so a report stored while three names were joined "“A” and “B” and “C”" still finds it.
 */
function startingLabelOf(alignment: string, labels: readonly string[]): string | undefined {
  return (
    labels.find((l) => startingPart(l).startsWith(STARTING_OF) && l.includes(quoted(alignment))) ??
    labels.find((l) => startingPart(l) === STARTING_LABEL)
  );
}

/**
 * What an alignment is measured against, among `labels`, first first: its own start, the baseline, none
 * (each row once: a start that is the baseline too is named once).
 */
export function referencesOf(alignment: string, labels: readonly string[]): string[] {
  const refs = [startingLabelOf(alignment, labels), baselineLabelIn(labels), NO_SYSTEM_LABEL];
  return [...new Set(refs)].filter((l): l is string => l !== undefined && labels.includes(l));
}

function referenceFor(c: CandidateReport, refs: CandidateReport[]): CandidateReport | undefined {
  const label = referencesOf(
    c.label,
    refs.map((r) => r.label),
  )[0];
  return refs.find((r) => r.label === label);
}

/**
 * The scores of two rows on the questions both were scored on, paired by query id: a stopped evaluation judged
 * each row on its own questions, and a judgement that could not be read leaves a question unscored in one row
 * only. Means over different questions would compare the questions, not the prompts.
 */
function pairedMeans(a: CandidateReport, b: CandidateReport): [number[], number[]] {
  const theirs = new Map(b.rows.flatMap((r) => (r.mean === null ? [] : [[r.queryId, r.mean] as const])));
  const mine: number[] = [];
  const other: number[] = [];
  for (const r of a.rows) {
    const o = theirs.get(r.queryId);
    if (r.mean === null || o === undefined) continue;
    mine.push(r.mean);
    other.push(o);
  }
  return [mine, other];
}

export function belowReferences(report: EvalReport): BelowReference[] {
  return gapsToReferences(report, (mine, theirs) => mine < theirs);
}

/**
 * Alignments that scored above what they are measured against by a gap that may be noise (the same tests as
 * belowReferences, the other way round): the Result sends a user here to confirm a gain, and overlapping
 * intervals of two means do not tell them whether it was confirmed. `lowerOn` counts the questions it lost.
 */
export function unconfirmedGains(report: EvalReport): BelowReference[] {
  return gapsToReferences(report, (mine, theirs) => mine > theirs).filter((g) => g.mayBeNoise);
}

function gapsToReferences(report: EvalReport, keep: (mine: number, theirs: number) => boolean): BelowReference[] {
  const refs = report.candidates.filter((c) => isReferenceLabel(c.label));
  const out: BelowReference[] = [];
  for (const c of report.candidates) {
    if (isReferenceLabel(c.label)) continue;
    const ref = referenceFor(c, refs);
    if (!ref || sameCandidate(c, ref)) continue;
    const [mine, theirs] = pairedMeans(c, ref);
    const candidateMean = mean(mine);
    const referenceMean = mean(theirs);
    if (candidateMean === null || referenceMean === null || !keep(candidateMean, referenceMean)) continue;
    const above = candidateMean > referenceMean;
    // The seeded bootstrap of the report's own intervals, over the per-question differences.
    const { ci } = meanInterval(
      mine.map((m, i) => m - theirs[i]!),
      '*difference',
      { seed: report.seed, resamples: report.settings.resamples, alpha: report.settings.alpha },
    );
    const diffs = mine.map((m, i) => m - theirs[i]!);
    const lowerOn = diffs.filter((d) => d < 0).length;
    const differing = diffs.filter((d) => d !== 0).length;
    const reachesZero = ci !== null && (above ? ci.lo <= 0 : ci.hi >= 0);
    out.push({
      candidate: c.label,
      reference: ref.label,
      questions: mine.length,
      asked: report.queries.total,
      candidateMean,
      referenceMean,
      difference: ci,
      lowerOn,
      differing,
      mayBeNoise: reachesZero || signTestChance(lowerOn, differing) > report.settings.alpha,
      ...(c.unchanged ? { unchanged: true } : {}),
    });
  }
  return out;
}

/**
 * Two-sided sign test: the chance of a split at least as lopsided as `lower` of `n` differing questions when
 * neither prompt is better (each difference as likely either way; ties left out).
 */
export function signTestChance(lower: number, n: number): number {
  const k = Math.min(lower, n - lower);
  let tail = 0;
  let choose = 1; // C(n, i), built up term by term
  for (let i = 0; i <= k; i++) {
    tail += choose;
    choose = (choose * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;

/** Why the gap may be noise, in words to follow "the gap may be noise ". */
function noiseReason(b: BelowReference, level: string): string {
  const above = b.candidateMean > b.referenceMean;
  if (b.difference && (above ? b.difference.lo <= 0 : b.difference.hi >= 0))
    return `(its ${level} interval, from ${signed(b.difference.lo)} to ${signed(b.difference.hi)}, includes 0)`;
  if (b.questions === 1) return `(1 question gives no ${level} interval)`;
  if (!b.difference)
    return `(the same gap on each of ${b.questions} questions gives no ${level} interval, and ${b.questions} are too few to rule out chance)`;
  // Both sides when both happened: a gap made by a few large differences is on the fewer questions.
  const higher = b.differing - b.lowerOn;
  const [first, second] = above
    ? [`higher on ${higher}`, `lower on ${b.lowerOn}`]
    : [`lower on ${b.lowerOn}`, `higher on ${higher}`];
  const other = (above ? b.lowerOn : higher) > 0 ? ` and ${second}` : '';
  return `(it is ${first}${other} of ${plural(b.questions, 'question')}, too few to rule out chance)`;
}

/**
 * One sentence per alignment that scored lower, for the Evaluate view and the CLI: the two means and the count
 * of the questions both were scored on, and whether the gap may be noise. `alpha`: the report's (0.05: 95%).
 */
export function describeBelow(b: BelowReference, alpha = 0.05): string {
  const { what, gap, level } = gapWords(b, alpha);
  const noise = b.mayBeNoise ? `, though the gap may be noise ${noiseReason(b, level)}` : '';
  // An unchanged start is no candidate for "an improvement": the run made none.
  if (b.unchanged) return `${unchangedName(b.candidate)} scored lower than ${what} (${gap})${noise}.`;
  return `“${b.candidate}” scored lower than ${what} (${gap}): on these questions it is not an improvement${noise}.`;
}

/** One sentence per alignment whose lead over its reference may be noise (unconfirmedGains), as describeBelow words it. */
export function describeUnconfirmedGain(b: BelowReference, alpha = 0.05): string {
  const { what, gap, level } = gapWords(b, alpha);
  const noise = `but the gap may be noise ${noiseReason(b, level)}`;
  if (b.unchanged)
    return `${unchangedName(b.candidate)} scored higher than ${what} (${gap}), ${noise}: these questions do not confirm that it does better.`;
  return `“${b.candidate}” scored higher than ${what} (${gap}), ${noise}: these questions do not confirm an improvement.`;
}

/** How the words name an alignment that is its starting prompt, unchanged (the Evaluate view's candidates too). */
export const UNCHANGED_WORDS = 'your starting prompt, unchanged';

/** "“DRPO Quick” (your starting prompt, unchanged)". */
const unchangedName = (label: string) => `${quoted(label)} (${UNCHANGED_WORDS})`;

/**
 * One sentence per alignment that is its starting prompt, unchanged, said before any comparison: what it scores
 * is that prompt's, so a lead over the baseline or no system prompt is not something its run gained.
 */
export function describeUnchanged(label: string): string {
  return `${unchangedName(label)}: its run found no improvement, so its scores here are your starting prompt’s, not a gain of the run.`;
}

function gapWords(b: BelowReference, alpha: number): { what: string; gap: string; level: string } {
  const what =
    b.reference === BASELINE_LABEL
      ? 'the baseline prompt'
      : b.reference === NO_SYSTEM_LABEL
        ? 'no system prompt at all'
        : b.reference.endsWith(ALSO_BASELINE)
          ? 'its starting prompt (the baseline prompt)'
          : 'its starting prompt';
  const questions = plural(b.questions, 'question');
  const on = b.questions < b.asked ? `the ${questions} both were scored on` : questions;
  const gap = `${b.candidateMean.toFixed(2)} vs ${b.referenceMean.toFixed(2)} overall on ${on}`;
  return { what, gap, level: `${Math.round((1 - alpha) * 100)}%` };
}

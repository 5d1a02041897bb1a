/**
 * The verdict of a run in words, for the Result view, the share page and the CLI: one wording, one
 * place. It reads only the alignment file, so it works for stored, imported and shared alignments.
 */
import type { AlignmentArtifact } from '../contracts/alignment';
import type { RunStatus } from '../contracts/run-events';
import { ollamaModelName } from '../formats/model-names';
import { PRESETS } from '../plan/presets';
import { trainingQuestionsAsked } from '../plan/settings-schema';
import { plural } from './list-words';
import { chanceOfLead } from '../drpo/paired-stats';

export const DEFAULT_INFERENCE_EXAMPLES = 3;

/** Examples an alignment retrieves per question at inference: its recorded choice, else its settings, else 3. */
export function inferenceExamples(a: Pick<AlignmentArtifact, 'icl' | 'examplesPerQuery' | 'settings'>): number {
  if (a.icl.length === 0) return 0;
  const recorded = a.examplesPerQuery ?? a.settings?.['iclKInference'];
  const k =
    typeof recorded === 'number' && Number.isInteger(recorded) && recorded >= 0 ? recorded : DEFAULT_INFERENCE_EXAMPLES;
  return Math.min(k, a.icl.length);
}

/** The prompt a run started from: recorded, else the first step of the lineage. */
export function startingPrompt(a: Pick<AlignmentArtifact, 'initialPrompt' | 'lineage'>): string | undefined {
  return a.initialPrompt ?? a.lineage[0]?.prompt;
}

/**
 * The mean reward on the training questions, or undefined when nothing was scored: rewards run 1–5, and
 * `scores.train` is 0 for an imported examples file, a published prompt file without parseable scores, or
 * a path no answer on which was judged.
 */
export function trainScore(a: Pick<AlignmentArtifact, 'scores'>): number | undefined {
  return a.scores.train >= 1 ? a.scores.train : undefined;
}

/** "2 worked examples per question", or '' for none. */
export function examplesPhrase(k: number): string {
  return k > 0 ? `${plural(k, 'worked example')} per question` : '';
}

/**
 * After "no improvement", the worked examples per question of a closest candidate that is the starting prompt
 * with examples added (the race chose it over the search's own prompts), else 0.
 */
export function closestExamplesOnly(a: Pick<AlignmentArtifact, 'initialPrompt' | 'lineage' | 'scores'>): number {
  const c = a.scores.bestCandidate;
  const k = c?.examplesPerQuery ?? 0;
  return c?.systemPrompt !== undefined && c.systemPrompt === startingPrompt(a) && k > 0 ? k : 0;
}

/** The alignment is its starting prompt, unchanged (with or without examples added). */
export function isStartingPrompt(a: Pick<AlignmentArtifact, 'initialPrompt' | 'lineage' | 'systemPrompt'>): boolean {
  return startingPrompt(a) === a.systemPrompt;
}

const fmt = (x: number) => x.toFixed(2);
/** A figure as shown, in hundredths: differences and words are taken on what the reader sees. */
const shown = (x: number) => Math.round(Number(fmt(x)) * 100);
/**
 * How far `score` is from `start` as shown, in hundredths, so "3.41 vs 2.89" says "+0.52" (not the raw
 * +0.51) and "3.00 vs 3.00" reads as no lead at all.
 */
const shownLead = (score: number, start: number) => shown(score) - shown(start);
/** "+0.52", "−0.10", and "0.00" unsigned (a "−0.00" beside "no better" reads as a loss that is not there). */
const signedHundredths = (d: number) => (d === 0 ? '0.00' : `${d > 0 ? '+' : '−'}${(Math.abs(d) / 100).toFixed(2)}`);

/** Said once where the verdict is explained (the glossary's verdict score, `drpo optimize --help`). */
export const PLUS_MINUS_WORDS =
  'In the verdict, “+0.50 ± 0.20” is the difference from the starting prompt and one standard error of it (paired over the same questions), not a 95% range.';
/**
 * Said under a verdict sentence that gives a "±" (the Result, the share page): the figure beside it, labelled where
 * it is read, since Evaluate's figures beside the same scores are 95% intervals.
 */
export const PLUS_MINUS_LABEL = '“±”: one standard error of the difference, not a 95% interval as in Evaluate.';

/** The verdict sentence gives a difference with its standard error ("+0.50 ± 0.20"; againstStart). */
export const saysPlusMinus = (sentence: string): boolean => sentence.includes(' ± ');
const questions = (n: number) => plural(n, 'held-out question');

/**
 * How the final check split its held-out questions, when the file says: `all` held out, the `race` used
 * to choose the candidate (it may settle before its last question), `kept` back for the verdict (0: none,
 * the race's data was the verdict's). Undefined for files that do not record the kept-back count (older
 * ones, and those written while it was read as `all − race`, which an early-settled race made too many).
 */
function finalCheckSplit(s: AlignmentArtifact['scores']): { all: number; race: number; kept: number } | undefined {
  const { heldOutQueries: all, raceQueries: race, keptBackQueries: kept } = s;
  if (all === undefined || race === undefined || kept === undefined || race + kept > all) return undefined;
  return { all, race, kept };
}

/**
 * How many held-out questions the final check kept back for the verdict (0: none, its race's questions
 * judged too), or undefined when the file does not say. One held-out question is never split.
 */
export function keptBackQueries(a: Pick<AlignmentArtifact, 'scores'>): number | undefined {
  const s = a.scores;
  return finalCheckSplit(s)?.kept ?? (s.heldOutQueries !== undefined && s.heldOutQueries < 2 ? 0 : undefined);
}

/**
 * The questions a verdict rests on, and where they sit among the held-out ones: the final check's race
 * chooses the candidate on the first held-out questions and the verdict is taken on questions kept back,
 * so a user who held out 6 hears "on 3 of your 6 held-out questions (the other 3 were used to pick it)". Files that do
 * not record the split, and checks with nothing kept back (the race's questions judged), say only how many.
 */
/** Whose held-out questions: the user's own, or (on a share page) the run's. */
const heldOutOwner = (audience: VerdictAudience) => (audience === 'owner' ? 'your' : 'the run’s');

function onQuestions(s: AlignmentArtifact['scores'], audience: VerdictAudience): string {
  const n = s.validationQueries ?? 0;
  const split = finalCheckSplit(s);
  if (!split || split.kept === 0 || n > split.kept) return questions(n);
  const { all, race } = split;
  // The race may stop before its last question, and an unreadable answer leaves a question out.
  const others = n + race === all ? `the other ${race} were` : `${race} others were`;
  return `${n} of ${heldOutOwner(audience)} ${all} held-out questions (${others} used to pick it${gaps(split, n, split.kept)})`;
}

/**
 * Why the counts said do not add up to all the held-out questions ('' when they do), so a reader does not
 * wonder where some went: a race that settled early never asked its last questions (they were not kept
 * back either), and a question on which the judge's rating of an answer could not be read is left out of
 * the figures. `judged` of the `asked` questions the figures rest on made it into them.
 */
function gaps(split: { all: number; race: number; kept: number }, judged: number, asked: number): string {
  const skipped = split.all - split.race - split.kept;
  const unrated = asked - judged;
  return [
    skipped > 0 ? `the pick was clear before the last ${skipped === 1 ? 'one' : skipped}` : '',
    unrated > 0 ? `${unrated} could not be rated` : '',
  ]
    .filter(Boolean)
    .map((g) => `; ${g}`)
    .join('');
}

/**
 * Which part of the final check the alignment's `validation` figures come from: the `verdict` (the
 * questions kept back to decide "improved" or not, or, with none kept back, the race's own; files that
 * record no split count as this), or the `race`, when questions were kept back but nothing reached
 * the verdict and the figures are the starting prompt's on the race's questions. `none` when there are no
 * figures.
 */
export function verdictBasis(a: Pick<AlignmentArtifact, 'outcome' | 'scores'>): 'verdict' | 'race' | 'none' {
  const s = a.scores;
  if (s.validation === undefined && s.initialValidation === undefined) return 'none';
  // A file that records the race but not what was kept back (written for a while before keptBackQueries):
  // questions the race did not use were almost always kept back, so its "nothing led" figures are the race's.
  const raced = s.heldOutQueries !== undefined && s.raceQueries !== undefined && s.heldOutQueries > s.raceQueries;
  const keptBack = (keptBackQueries(a) ?? (raced ? 1 : 0)) > 0;
  if (unconfirmedLead(a)) return 'race';
  return a.outcome === 'no-improvement' && !s.bestCandidate && keptBack ? 'race' : 'verdict';
}

/**
 * A lead the final check could not confirm: it kept no held-out question back for its verdict (it held out
 * one, or was set to keep none), so its figures come from the very questions that chose the alignment, and
 * picking the best of several noisy scores flatters the winner (final-selection). Newer runs mark it
 * "unverified"; files written before said "improved". Read as "Not verified", never as a gain.
 */
export function unconfirmedLead(a: Pick<AlignmentArtifact, 'outcome' | 'scores'>): boolean {
  const s = a.scores;
  return (
    (a.outcome === 'improved' || a.outcome === 'unverified') &&
    keptBackQueries(a) === 0 &&
    !!s.validationQueries &&
    s.validation !== undefined &&
    s.initialValidation !== undefined &&
    s.validation > s.initialValidation
  );
}

/**
 * The file's held-out figures come from a comparison with the starting prompt (a verdict, or its race): an
 * "improved" or "no improvement" outcome, or a closest candidate that was compared and fell short. Older
 * files (no outcome) and unverified ones may carry a held-out score, but no verdict gave it.
 */
export function comparedWithStart(a: AlignmentArtifact): boolean {
  return a.outcome === 'improved' || a.outcome === 'no-improvement' || fellShort(a) !== undefined;
}

export interface VerdictText {
  /** 'improved' | 'no-improvement' | 'unverified' (older and imported files are 'unverified'). */
  kind: NonNullable<AlignmentArtifact['outcome']>;
  /**
   * The heading the sentence goes under, e.g. "Better than your starting prompt": `verdictLead(kind)`, except
   * for a candidate compared with the start that fell short ("No better than the starting prompt"), whose
   * heading must agree with its comparison. The sentence may open with it ("No improvement found: …").
   */
  lead: string;
  /**
   * One sentence, e.g. "It scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 4 of your 8 held-out
   * questions (the other 4 were used to pick it)."
   */
  sentence: string;
  /**
   * Said beside an "improved" verdict the model gave itself. More questions cannot fix a judge that
   * likes its own habits (on simulated self-judges most rewrites that held on their kept-back questions
   * and were still worse were prompts the judge systematically preferred), so the user is told where to
   * confirm it.
   */
  caveat?: string;
}

/**
 * The model judged its own answers (self-alignment): the same model in both roles, whatever runtime
 * served it (a WebLLM id and the Ollama tag of the same weights name one judge; see model-names).
 */
export function selfJudged(a: Pick<AlignmentArtifact, 'model' | 'judge'>): boolean {
  const names = (m: AlignmentArtifact['model']) =>
    [m.id, ollamaModelName(m).name].map((n) => n.trim().toLowerCase()).filter(Boolean);
  const judge = names(a.judge);
  return names(a.model).some((n) => judge.includes(n));
}

/** Said beside a self-judged "improved": where to confirm it, as the page and the CLI name that step. */
export function selfJudgedCaveat(surface: VerdictSurface = 'page'): string {
  // The CLI prints the complete drpo eval command on the next line (with the run's address, model and file).
  const where =
    surface === 'cli' ? 'with a larger judge (the drpo eval command below)' : 'in Evaluate with a larger judge';
  return `The model judged its own answers, and a model tends to like its own habits (longer answers, extra caveats): confirm the gain ${where} before you rely on it.`;
}

/**
 * How often a lead this large turns up when the two prompts are equally good (see chanceOfLead), said after
 * an "improved" sentence whose lead is weak (1 in 20 or more): the preset's bar of one standard error on 6
 * questions is passed by about one tie in six, and a reader should not take that "better" for a sure one.
 * '' for a stronger lead, and when the file does not say its standard error.
 */
function chancePhrase(s: AlignmentArtifact['scores']): string {
  const { validation, initialValidation, validationStandardError: se, validationQueries: n } = s;
  if (validation === undefined || initialValidation === undefined || se === undefined || !n) return '';
  const p = chanceOfLead({ n, mean: validation - initialValidation, se });
  if (p < 0.05) return '';
  return ` A lead this large turns up by chance in about 1 run in ${Math.max(2, Math.round(1 / p))} when both prompts are equally good, so it may be luck.`;
}

/** The page's wording of the caveat (the Result view, the share page). */
export const SELF_JUDGED_CAVEAT = selfJudgedCaveat('page');

/**
 * "3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20)": one wording for a score against the start. A score
 * of the starting prompt itself with worked examples added (`examplesOnly`) is set against the same prompt
 * without them: "3.92 vs 4.11 without them", since "for the starting prompt" beside "your prompt with 2
 * worked examples" reads as two different prompts.
 */
function againstStart(score: number, start: number, se: number | undefined, examplesOnly = false): string {
  const pm = se !== undefined ? ` ± ${se.toFixed(2)}` : '';
  const vs = examplesOnly ? 'without them' : 'for the starting prompt';
  return `${fmt(score)} vs ${fmt(start)} ${vs} (${signedHundredths(shownLead(score, start))}${pm})`;
}

/**
 * Who reads the verdict: `owner`, who ran the search (Result, the CLI: "your starting prompt", and what to do
 * next), or `recipient`, someone it was shared with (the share page: "its starting prompt", no advice).
 */
export type VerdictAudience = 'owner' | 'recipient';

/** Whose starting prompt it was, as the reader hears it. */
const whose = (audience: VerdictAudience) => (audience === 'owner' ? 'your' : 'its');

/** The starting prompt with `k` worked examples added, as the reader knows it: "your prompt with 2 worked examples per question". */
const startWithExamples = (audience: VerdictAudience, k: number) =>
  `${whose(audience)} prompt with ${examplesPhrase(k)}`;

/**
 * Where the verdict is read: the `page` (Result, the share page) or the `cli` (`drpo optimize`), which name the
 * same next step differently ("Setup → Advanced" vs "--judge-model").
 */
export type VerdictSurface = 'page' | 'cli';

/**
 * Why a run handed back an unchecked alignment, when the reader knows how the run ended (the file does not
 * say): its budget (calls, tokens or minutes) ran out before the final check was done (`budget`), it was
 * cancelled (`cancelled`) or stopped on an error (`stopped`) before it, or it finished with no held-out
 * questions to check on (`none-held-out`). Unknown (a file, a link), both "none held out" and "stopped early"
 * are said.
 */
export type StoppedBy = 'budget' | 'cancelled' | 'stopped' | 'none-held-out';

/**
 * Why a run that ended with `status` handed back an unchecked alignment: a finished run checks its result
 * whenever it has held-out questions, so one that finished unchecked had none.
 */
export function uncheckedBecause(status: RunStatus): StoppedBy | undefined {
  if (status === 'budget-exhausted') return 'budget';
  if (status === 'cancelled') return 'cancelled';
  if (status === 'failed' || status === 'paused') return 'stopped';
  return status === 'completed' ? 'none-held-out' : undefined;
}

/** Why it was not checked, in words, for "Not checked against the starting prompt (…)". */
function uncheckedWords(a: Pick<AlignmentArtifact, 'settings'>, stoppedBy: StoppedBy | undefined): string {
  // A run set to check on no held-out questions says so in its own file, whoever reads it.
  const why = stoppedBy ?? (a.settings?.['validationSize'] === 0 ? 'none-held-out' : undefined);
  switch (why) {
    case 'budget':
      return 'the run’s budget ran out before its final check was done';
    case 'cancelled':
      return 'the run was cancelled before its final check';
    case 'stopped':
      return 'the run stopped before its final check';
    case 'none-held-out':
      return 'the run had no held-out questions to check it on';
    default:
      return 'the run held out no questions or stopped early';
  }
}

/**
 * Where to compare an alignment with its starting prompt on more questions, as each surface names it: the CLI
 * prints the complete command after the verdict (only it knows the address and the file).
 */
const evaluateStep = (surface: VerdictSurface) =>
  surface === 'cli'
    ? 'Compare it with your prompt on more questions before you rely on it (the drpo eval command below).'
    : 'Evaluate it against your prompt on more questions before you rely on it.';

/**
 * How many questions a run held out when its data, not its preset, set that number (fewer than the preset holds
 * out: a small file, of which at most half is held out, or a small --validation file), else undefined. Every
 * longer preset holds out more, so it would get the very same questions and search the same few training ones.
 * Only when the file records both numbers.
 */
function heldOutLimitedByData(a: Pick<AlignmentArtifact, 'scores' | 'settings'>): number | undefined {
  const held = a.scores.heldOutQueries;
  const size = a.settings?.['validationSize'];
  return held !== undefined && typeof size === 'number' && held < size ? held : undefined;
}

/**
 * How many training questions the search had when they were fewer than its levels surely ask for
 * (trainingQuestionsAsked's `least`: the extension levels may not have run), with that number, else undefined:
 * its later levels asked the same ones again (the Run view said so before Start), and a longer preset would ask
 * them again more often. Only when the file records the numbers.
 */
function trainLimitedByData(
  a: Pick<AlignmentArtifact, 'scores' | 'settings'>,
): { train: number; asked: number } | undefined {
  const train = a.scores.trainQueries;
  const { depth, queriesPerLevel } = a.settings ?? {};
  if (train === undefined || typeof depth !== 'number' || typeof queriesPerLevel !== 'number') return undefined;
  const asked = trainingQuestionsAsked({ depth, queriesPerLevel, maxDepthExtension: 0 }).least;
  return train < asked ? { train, asked } : undefined;
}

/**
 * What an owner can do after "no improvement": with too few questions for a longer run to help, more questions
 * first (a longer preset would cost several times the calls for the same check on the same questions); after
 * quick, a bigger preset (with too few training questions for its levels, more of those first); after paper or thorough (no preset searches longer), a larger judge (a small
 * self-judge's noise is what most often hides a real gain) or more training questions. One rule for the page
 * and the CLI, which name the steps their own way.
 */
function nextSteps(a: Pick<AlignmentArtifact, 'preset' | 'scores' | 'settings'>, surface: VerdictSurface): string {
  const cli = surface === 'cli';
  // Each surface names the presets as it offers them: the Run view's cards ("Paper"), the CLI's flag.
  const { paper, thorough } = PRESETS;
  const preset = a.preset;
  const few = heldOutLimitedByData(a);
  if (few !== undefined) {
    const longer = preset === 'quick' ? `, and a longer preset would check on the same ${few}` : '';
    return `Keep your prompt, or add questions first (${cli ? '--train or --validation' : 'Data'}): only ${plural(few, 'question')} ${few === 1 ? 'was' : 'were'} held out for the final check, too few to tell a small gain from noise${longer}.`;
  }
  const repeated = trainLimitedByData(a);
  if (repeated) {
    const longer = preset === 'thorough' ? '' : ', and a longer preset would ask them again more often';
    return `Keep your prompt, or add training questions first (${cli ? '--train' : 'Data'}): the search had only ${repeated.train}, fewer than its levels ask for (${repeated.asked}), so it asked the same ones again${longer}.`;
  }
  if (preset === 'quick')
    return `Keep your prompt, or run again with ${cli ? '--preset paper or --preset thorough' : `the ${paper.label} or ${thorough.label} preset`}.`;
  return `Keep your prompt, bind a larger judge (${cli ? '--judge-model' : 'Setup → Advanced'}), or add training questions (${cli ? '--train' : 'Data'}).`;
}

/**
 * A candidate compared with the start that did not clearly beat it (a closest candidate, handed over on its
 * own): "No better" or "Not clearly better"; undefined for any other alignment.
 */
function fellShort(a: Pick<AlignmentArtifact, 'outcome' | 'scores'>): 'No better' | 'Not clearly better' | undefined {
  const s = a.scores;
  if (a.outcome !== 'unverified' || s.validation === undefined || s.initialValidation === undefined) return undefined;
  if (!s.validationQueries) return undefined;
  return shownLead(s.validation, s.initialValidation) > 0 ? 'Not clearly better' : 'No better';
}

/** The placeholder of a printed eval command's judge: the one word a user must replace, and cannot miss. */
export const LARGER_JUDGE = 'LARGER-JUDGE-MODEL';

/**
 * What to do with a candidate that was compared with the start and fell short (a closest candidate), after its
 * figures on the page and after the CLI's "The closest candidate is in NAME.closest.json": one that led by less
 * than the evidence asks is worth trying before relying on it; one that scored no better is not better on these
 * questions, and only more of them (a small self-judge is noisy) would show it better elsewhere. The CLI names
 * its `command` (drpo eval … --starting). '' for any other alignment.
 */
export function closestCandidateStep(
  a: Pick<AlignmentArtifact, 'outcome' | 'scores'>,
  surface: VerdictSurface = 'page',
  command = 'drpo eval --alignment FILE --starting',
): string {
  const short = fellShort(a);
  if (!short) return '';
  const noBetter = short === 'No better';
  if (surface === 'cli') {
    // A command whose judge is the placeholder for a larger one (evalStartCommand after a self-judged run)
    // already says so: no second word on it. One naming the run's own judge still gets it, as the page does.
    const judged = command.includes(LARGER_JUDGE);
    return noBetter
      ? `It is no better on these questions; comparing it with your prompt on more questions${judged ? '' : ', ideally with a larger --judge-model,'} is how to be sure: ${command}.`
      : `Try it, or compare it with your prompt on more questions before you rely on it: ${command}${judged ? '.' : ' (ideally with a larger --judge-model).'}`;
  }
  return noBetter
    ? 'It is no better on these questions; evaluating it on more questions, ideally with a larger judge, is how to be sure.'
    : 'Try it, or evaluate it on more questions, before you rely on it.';
}

/** The verdict's heading, e.g. "No improvement found". */
export function verdictLead(kind: VerdictText['kind'], audience: VerdictAudience = 'owner'): string {
  return {
    improved: `Better than ${whose(audience)} starting prompt`,
    'no-improvement': 'No improvement found',
    unverified: 'Not verified',
  }[kind];
}

export function describeVerdict(
  a: AlignmentArtifact,
  audience: VerdictAudience = 'owner',
  surface: VerdictSurface = 'page',
  stoppedBy?: StoppedBy,
): VerdictText {
  const s = a.scores;
  const n = s.validationQueries ?? 0;
  const on = onQuestions(s, audience);
  if (unconfirmedLead(a) && s.validation !== undefined && s.initialValidation !== undefined) {
    // Ahead on the questions that picked it, with none kept back to check it on: not a gain (older files
    // said "improved" here; see unconfirmedLead).
    const lead = verdictLead('unverified', audience);
    const which =
      n === 1 ? 'but that question was also used to pick it' : 'but those questions were also used to pick it';
    const next = audience === 'owner' ? ` ${evaluateStep(surface)}` : '';
    return {
      kind: 'unverified',
      lead,
      sentence: `${lead}: it scored ${againstStart(s.validation, s.initialValidation, s.validationStandardError)} on ${questions(n)}, ${which} (none were kept back to check it on), so this does not show a gain.${next}`,
    };
  }
  if (a.outcome === 'no-improvement') {
    const c = s.bestCandidate;
    // The race may choose the starting prompt with worked examples: the search did not write that one.
    const k = closestExamplesOnly(a);
    const examplesOnly = k > 0;
    const who = examplesOnly ? startWithExamples(audience, k) : 'the best the search produced';
    // How close the best candidate came, when one reached the verdict: a user deciding whether a longer
    // run is worth it needs "+0.10 ± 0.30" (close) apart from "−0.60" (the search made things worse).
    const close =
      c && s.initialValidation !== undefined
        ? `${who} scored ${againstStart(c.validation, s.initialValidation, c.standardError, examplesOnly)}${n > 0 ? ` on ${on}` : ''}, ${shownLead(c.validation, s.initialValidation) > 0 ? 'not clearly better' : 'no better'}`
        : nothingLed(s, audience);
    return {
      kind: 'no-improvement',
      lead: verdictLead('no-improvement', audience),
      sentence: `No improvement found: ${close}, so this is the starting prompt.${audience === 'owner' ? ` ${nextSteps(a, surface)}` : ''}`,
    };
  }
  if (a.outcome === 'improved' && s.validation !== undefined && s.initialValidation !== undefined) {
    // The start with examples added: the prompt a user sees is their own, so say where the gain is.
    const k = inferenceExamples(a);
    const examplesOnly =
      isStartingPrompt(a) && k > 0 ? `: ${whose(audience)} prompt unchanged, with ${examplesPhrase(k)}` : '';
    return {
      kind: 'improved',
      lead: verdictLead('improved', audience),
      sentence: `It scored ${againstStart(s.validation, s.initialValidation, s.validationStandardError)} on ${on}${examplesOnly}.${chancePhrase(s)}`,
      ...(selfJudged(a) ? { caveat: selfJudgedCaveat(surface) } : {}),
    };
  }
  const short = fellShort(a);
  if (short && s.validation !== undefined && s.initialValidation !== undefined) {
    // A candidate that was compared and fell short, handed over on its own (see closest-candidate): headed by
    // how it compared, not "Not verified", which would read as if it had never been compared.
    const lead = `${short} than the starting prompt`;
    // The start with examples added is named, and set against itself without them (as in the run's verdict).
    const k = inferenceExamples(a);
    const examplesOnly = isStartingPrompt(a) && k > 0;
    const who = examplesOnly ? startWithExamples(audience, k) : 'it';
    return {
      kind: 'unverified',
      lead,
      sentence: `${lead}: ${who} scored ${againstStart(s.validation, s.initialValidation, s.validationStandardError, examplesOnly)} on ${on}. ${closestCandidateStep(a)}`,
    };
  }
  return {
    kind: 'unverified',
    lead: verdictLead('unverified', audience),
    sentence:
      a.outcome === 'unverified'
        ? `Not checked against the starting prompt (${uncheckedWords(a, stoppedBy)}); evaluate it before you rely on it.`
        : 'This alignment carries no comparison with a starting prompt; evaluate it before you rely on it.',
  };
}

/**
 * "No improvement" with no candidate even ahead of the start in the race: with questions kept back, none
 * was put to the verdict (the figures are the race's), and the user is told why those went unused. With
 * questions kept back and no figures at all, a candidate did reach the verdict but could not be compared.
 */
function nothingLed(s: AlignmentArtifact['scores'], audience: VerdictAudience): string {
  const n = s.validationQueries ?? 0;
  const split = finalCheckSplit(s);
  if (split && split.kept > 0 && s.validation === undefined && s.initialValidation === undefined) {
    // No figures though questions were kept back: a candidate led the race and went to the verdict, where
    // none of its ratings could be read beside the start's (final-selection), so no comparison was made.
    return `a candidate led the race, but it could not be compared with the starting prompt: the judge’s ratings on the ${plural(split.kept, 'question')} kept back for the verdict could not be read`;
  }
  if (n > 0 && split && split.kept > 0 && n <= split.race) {
    const { all, race, kept } = split;
    const yours = heldOutOwner(audience);
    // A race that settled early used fewer questions than it had (those it skipped were not kept back), and
    // an unreadable answer leaves a question out: then the counts do not add up to all, and say why not.
    const on =
      n === race && race + kept === all
        ? `on the ${n} of ${yours} ${all} held-out questions that choose a candidate (the other ${kept}`
        : `on ${n} of ${yours} ${all} held-out questions (${kept} ${kept === 1 ? 'other' : 'others'}`;
    return `nothing the search produced beat the starting prompt ${on}, kept back for the verdict, ${kept === 1 ? 'was' : 'were'} not needed${gaps(split, n, race)})`;
  }
  return `nothing the search produced beat the starting prompt${n > 0 ? ` on ${questions(n)}` : ''} by more than the noise`;
}

/**
 * Whether the CLI's verdict refers to "the drpo eval command below", which the CLI then prints: a self-judged
 * gain to confirm with a larger judge, or a lead the final check could not confirm.
 */
export function refersToEvalCommand(a: AlignmentArtifact): boolean {
  return describeVerdict(a, 'owner', 'cli').caveat !== undefined || unconfirmedLead(a);
}

/**
 * The verdict as one line of plain text (the CLI's last line): the sentence, then any caveat. With no heading
 * above it, an "improved" sentence ("It scored …") opens with its lead, as the other outcomes' sentences do,
 * so a confirmed gain reads apart from a near miss.
 */
export function verdictLine(a: AlignmentArtifact, stoppedBy?: StoppedBy): string {
  const v = describeVerdict(a, 'owner', 'cli', stoppedBy);
  const sentence =
    v.kind === 'improved' && !v.sentence.startsWith(v.lead)
      ? `${v.lead}: ${v.sentence.charAt(0).toLowerCase()}${v.sentence.slice(1)}`
      : v.sentence;
  return v.caveat ? `${sentence} ${v.caveat}` : sentence;
}

/**
 * The verdict in a few words, for lists (History): "improved: 3.53 vs 3.19" (this alignment's verdict score
 * vs the starting prompt's), "no improvement", "no better: 3.39 vs 3.51" (a closest candidate), or "not
 * verified". The same outcomes and words as describeVerdict, without the questions or the advice.
 */
export function verdictSummary(a: Pick<AlignmentArtifact, 'outcome' | 'scores'>): {
  kind: VerdictText['kind'];
  words: string;
} {
  const s = a.scores;
  const vs =
    s.validation !== undefined && s.initialValidation !== undefined
      ? `${fmt(s.validation)} vs ${fmt(s.initialValidation)}`
      : undefined;
  if (a.outcome === 'no-improvement') return { kind: 'no-improvement', words: 'no improvement' };
  if (unconfirmedLead(a) && vs) return { kind: 'unverified', words: `not verified: ${vs}` };
  if (a.outcome === 'improved' && vs) return { kind: 'improved', words: `improved: ${vs}` };
  const short = fellShort(a);
  return { kind: 'unverified', words: short && vs ? `${short.toLowerCase()}: ${vs}` : 'not verified' };
}

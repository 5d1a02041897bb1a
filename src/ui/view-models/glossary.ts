/**
 * One reward vocabulary for every view: what each number is, in the same words everywhere. Numbers in
 * the explanations come from the run's settings when known, never from fixed text.
 */
import type { SearchSettings } from '../../core/contracts/run-config';
import type { AlignmentArtifact } from '../../core/contracts/alignment';
import { plural } from '../../core/words/list-words';
import { PLUS_MINUS_WORDS, comparedWithStart, trainScore, verdictBasis } from '../../core/words/verdict-text';
import { BEST_SO_FAR_MARK, PATH_MEAN_NAME } from '../../core/contracts/run-status';

export type Term = 'score' | 'path-mean' | 'beam' | 'carried' | 'race' | 'verdict' | 'level' | 'cache';

export const TERM_LABELS: Record<Term, string> = {
  score: 'score',
  'path-mean': PATH_MEAN_NAME,
  beam: 'beam',
  carried: 'carried forward',
  race: 'race score',
  verdict: 'verdict score',
  level: 'level',
  cache: 'from cache',
};

/**
 * What the texts may say about a run: some of its settings, and for an alignment how many held-out
 * questions its final check kept back for the verdict (0: none, its race's questions judged too).
 */
export type GlossaryFacts = Partial<
  Pick<SearchSettings, 'carryForwardThreshold' | 'maxDepthExtension' | 'beamWidth' | 'queriesPerLevel'>
> & { keptBackQueries?: number };

export function explain(term: Term, s: GlossaryFacts = {}): string {
  switch (term) {
    case 'score':
      return 'A prompt’s score: the judge’s mean rating (1–5) of the answers it produced at its level. Each level asks new questions, so scores of different levels are not directly comparable.';
    case 'path-mean':
      return `The mean of the scores along a prompt’s path, from the starting prompt to it. The search keeps prompts by this, so one lucky answer does not win; it is why the best path mean can be lower than the best single score. While a run can go on, its path mean is the best the search reached, marked “${BEST_SO_FAR_MARK}”: it never goes down.`;
    case 'beam':
      return `The beam: the ${s.beamWidth ?? 'few'} best prompt${s.beamWidth === 1 ? '' : 's'} (by path mean) kept at each level; only they are rewritten for the next level.`;
    case 'carried':
      return `When a level’s best prompt already scores ${s.carryForwardThreshold !== undefined ? `${s.carryForwardThreshold} or more` : 'very high'}, it is carried forward unchanged to be tried on new questions, and the search gets an extra level${
        s.maxDepthExtension !== undefined ? ` (at most ${s.maxDepthExtension} extra)` : ''
      }.`;
    // The final check has two parts with two different scores; one name for both made a race lead look
    // like the verdict (final-selection.ts).
    case 'race':
      return 'Race score: the mean on the first of your held-out questions, where the finalists and the starting prompt race (with each allowed number of worked examples) to choose the candidate. It only chooses: the best of several noisy scores flatters the winner, so the verdict is taken on other questions when the run keeps some back.';
    case 'verdict':
      return verdictText(s.keptBackQueries);
    case 'level':
      return `A level: every beam prompt is rewritten and each new prompt answers ${
        s.queriesPerLevel !== undefined ? plural(s.queriesPerLevel, 'new question') : 'new questions'
      }. Level 0 is the starting prompt.`;
    case 'cache':
      return 'A request this run already made, word for word, is answered from the run’s own record instead of asking the model again: it takes no time and no tokens, and does not count against a call budget. The planned number of calls includes them.';
  }
}

/**
 * The verdict is taken on questions kept back from the race, unless the run kept none (one held-out
 * question, or `verdictQueries` 0): then the race's own questions judge too, and the text must not say
 * "kept back". Unknown (Live, older files): both cases are told.
 */
function verdictText(keptBack: number | undefined): string {
  // The verdict's "±" is a standard error while Evaluate's figures carry 95% ranges: said where it is explained.
  const decides = `It decides “improved” or “no improvement”; the Result shows these figures. ${PLUS_MINUS_WORDS}`;
  if (keptBack === 0)
    return `Verdict score: the mean on your held-out questions of the race’s choice and of the starting prompt (without examples). This run kept none back from the race (it held out one question, or was set to keep none back), so the questions that chose the candidate also judged it, which flatters the candidate: it can say “no improvement”, but a lead there is “not verified”, never a gain. The Result shows these figures. ${PLUS_MINUS_WORDS}`;
  const kept = `Verdict score: the mean on the held-out questions kept back from the race, which only the race’s choice and the starting prompt (without examples) answer. ${decides}`;
  return keptBack === undefined
    ? `${kept} A run that keeps none back (one held-out question, or set to keep none) takes it on the race’s own questions, where a lead is “not verified”, never a gain.`
    : kept;
}

/** The training figure's name, also History's column for it. */
export const PATH_MEAN_LABEL = 'Path mean on training questions';

/**
 * A run's path mean in the live view and History, one name for both: while the run can go on, the best the
 * search reached (it never goes down), marked "(best so far)"; once it ended, the path mean of the prompt it
 * handed back, which may be lower (the starting prompt the final check kept, or a stopped run's pick). History's
 * column holds both, so its header names only the figure and a cell without a result carries the mark.
 */
export { BEST_SO_FAR_MARK, PATH_MEAN_NAME, bestSoFarWords } from '../../core/contracts/run-status';
export const RUN_PATH_MEAN_COLUMN = `${PATH_MEAN_NAME[0]!.toUpperCase()}${PATH_MEAN_NAME.slice(1)}`;

export interface AlignmentFigure {
  key: 'this' | 'candidate' | 'start' | 'path-mean';
  /** e.g. "Verdict: this alignment", "Closest candidate", "Path mean on training questions". */
  label: string;
  /** The glossary term that explains it, when it has one. */
  term?: Term;
  /** Undefined when the alignment does not have it (not checked, never scored). */
  value: number | undefined;
}

/**
 * An alignment's figures, named the same wherever they are shown (Result, the share page): its score and the
 * starting prompt's in the part of the final check they come from (the verdict, or the race when nothing
 * reached the verdict; plain held-out questions when the file has no verdict), and the path mean on the
 * training questions. After "no improvement" the alignment is the starting prompt, so "this alignment" beside
 * "starting prompt" showed the start twice and hid the figure its verdict is about: the figures are then
 * the closest candidate's and the start's, as the verdict compares them, or the start's alone when nothing led,
 * and the path mean is named the starting prompt's.
 */
export function alignmentFigures(a: AlignmentArtifact): AlignmentFigure[] {
  const pathMean: AlignmentFigure = {
    key: 'path-mean',
    label: PATH_MEAN_LABEL,
    term: 'path-mean',
    value: trainScore(a),
  };
  if (a.outcome === 'no-improvement') {
    const term: Term = verdictBasis(a) === 'race' ? 'race' : 'verdict';
    const c = a.scores.bestCandidate;
    const start: AlignmentFigure = { key: 'start', label: 'Starting prompt', value: a.scores.initialValidation };
    // The alignment is the start, so its path mean is the start's: beside "Closest candidate" an unnamed one
    // read as the candidate's (whose own can be far higher: the search keeps what scores well in training).
    const startPathMean = { ...pathMean, label: `${PATH_MEAN_LABEL}: starting prompt` };
    return c
      ? [{ key: 'candidate', label: 'Closest candidate', term, value: c.validation }, start, startPathMean]
      : [{ ...start, term }, startPathMean];
  }
  // A held-out score no verdict gave (older files, unverified ones) must not be called a verdict beside a box
  // that says "Not verified".
  const compared = comparedWithStart(a);
  const race = compared && verdictBasis(a) === 'race';
  const part = !compared ? 'Held-out questions' : race ? 'Race' : 'Verdict';
  const term: Term | undefined = !compared ? undefined : race ? 'race' : 'verdict';
  return [
    { key: 'this', label: `${part}: this alignment`, term, value: a.scores.validation },
    { key: 'start', label: `${part}: starting prompt`, value: a.scores.initialValidation },
    pathMean,
  ];
}

/**
 * The figures a page shows: a held-out one the alignment lacks (never checked: no held-out questions, or the
 * run stopped first) is left out rather than shown as "—", since the verdict already says why there is none.
 * The path mean always stays: "not scored" or "—" tells an imported file that was never scored.
 */
export function shownFigures(a: AlignmentArtifact): AlignmentFigure[] {
  return alignmentFigures(a).filter((f) => f.key === 'path-mean' || f.value !== undefined);
}

/**
 * What became of the search's own prompts when the final check chose the starting prompt with worked
 * examples as the closest candidate (final-selection.ts): the alignment file says only what came closest, so
 * a user who watched the search's prompts score above the start in Live read nothing about them. This reads
 * the run's nodes (their race scores), so only a page that has the run says it; a file or a link says nothing.
 */
import type { AlignmentArtifact } from '../contracts/alignment';
import type { FinalCheckScore, SearchNode } from '../contracts/search-node';
import { normalisePrompt } from '../drpo/prompts/optimizer';
import { plural } from './list-words';
import { closestExamplesOnly, examplesPhrase } from './verdict-text';

const fmt = (x: number) => x.toFixed(2);

/** The example count of an older run's race score, which recorded none. */
const UNKNOWN_K = -1;

/** A node's race scores; an older run recorded only its best, with no example count or question count. */
function raceOf(n: SearchNode): FinalCheckScore[] {
  if (n.race?.length) return n.race;
  return n.validationReward !== undefined ? [{ examplesPerQuery: UNKNOWN_K, reward: n.validationReward }] : [];
}

/** The highest of `scores` (ties: the one over more questions). */
function top(scores: readonly FinalCheckScore[]): FinalCheckScore | undefined {
  return scores.reduce<FinalCheckScore | undefined>(
    (m, s) => (!m || s.reward > m.reward || (s.reward === m.reward && (s.questions ?? 0) > (m.questions ?? 0)) ? s : m),
    undefined,
  );
}

/**
 * "(best: 3.50 vs 4.00 on 2 questions)": the search's best race score beside the starting prompt's with the
 * same examples, when the figures show it behind as shown; '' when they do not (the race judges a prompt
 * pooled over every example count, on the questions both answered, so its means alone may not show it).
 */
function figures(best: FinalCheckScore, start: FinalCheckScore | undefined): string {
  if (!start || Number(fmt(best.reward)) >= Number(fmt(start.reward))) return '';
  const k = best.examplesPerQuery > 0 ? `, both with ${examplesPhrase(best.examplesPerQuery)}` : '';
  const q = (s: FinalCheckScore) => (s.questions !== undefined ? ` on ${plural(s.questions, 'question')}` : '');
  const scores =
    best.questions === start.questions
      ? `${fmt(best.reward)} vs ${fmt(start.reward)}${q(best)}`
      : `${fmt(best.reward)}${q(best)} vs ${fmt(start.reward)}${q(start)}`;
  return ` (best: ${scores}${k})`;
}

/**
 * After "no improvement" with the starting prompt plus worked examples as the closest candidate: that the
 * search's own prompts lost the race to the starting prompt, with the best of their race scores, and (when
 * they scored above the start during the search) why those scores do not count. '' for any other result,
 * or when `nodes` hold no finalist (a file, a link, a run that wrote none).
 */
export function finalistsWords(a: AlignmentArtifact, nodes: Iterable<SearchNode>): string {
  const k = closestExamplesOnly(a);
  if (a.outcome !== 'no-improvement' || k === 0) return '';
  const all = [...nodes];
  const root = all.find((n) => n.parentId === null);
  if (!root) return '';
  // A prompt equal to the start's (a carried-forward copy of it) is the user's, not the search's own.
  const start = normalisePrompt(root.prompt);
  const own = all.filter((n) => n.parentId !== null && normalisePrompt(n.prompt) !== start);
  const best = top(own.flatMap(raceOf));
  if (!best) return '';
  const startScore =
    best.examplesPerQuery === UNKNOWN_K
      ? top(raceOf(root))
      : root.race?.find((s) => s.examplesPerQuery === best.examplesPerQuery);
  // Lost to your prompt *with its examples*: a rewrite may have outscored your prompt alone (the race pools
  // example counts), so "did not beat your prompt" would not be true.
  const lost = `The search’s own prompts lost the race on the held-out questions to your prompt with ${examplesPhrase(k)}${figures(best, startScore)}.`;
  const searchTop = Math.max(...own.map((n) => n.reward ?? -Infinity));
  const higher =
    root.reward !== null && Number(fmt(searchTop)) > Number(fmt(root.reward))
      ? ` Their higher scores during the search (up to ${fmt(searchTop)}) were each on a few training questions; the final check compares prompts on the same held-out ones.`
      : '';
  return `${lost}${higher}`;
}

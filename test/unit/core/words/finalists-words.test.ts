import { describe, expect, it } from 'vitest';
import { finalistsWords } from '../../../../src/core/words/finalists-words';
import type { SearchNode } from '../../../../src/core/contracts/search-node';
import { fellShortArtifact } from '../../../support/artifacts';
import { makeNode } from '../../../support/live-fixtures';

const START = 'You are a helpful assistant.';
/** "No improvement", its closest candidate the start with 2 examples per question. */
const examplesOnly = () => fellShortArtifact({ systemPrompt: START, examplesPerQuery: 2 });
const root = (over: Partial<SearchNode> = {}) =>
  makeNode({
    id: 'root',
    reward: 4,
    race: [
      { examplesPerQuery: 0, reward: 4, questions: 4 },
      { examplesPerQuery: 2, reward: 4.25, questions: 4 },
    ],
    ...over,
  });
const rewrite = (over: Partial<SearchNode>) =>
  makeNode({ id: 'r', parentId: 'root', depth: 2, prompt: 'Be brief.', reward: 3.9, ...over });

describe('finalistsWords: what became of the search’s own prompts', () => {
  it('says each figure’s questions when they differ, and the examples both were scored with', () => {
    const nodes = [root(), rewrite({ race: [{ examplesPerQuery: 2, reward: 3.75, questions: 2 }] })];
    expect(finalistsWords(examplesOnly(), nodes)).toBe(
      'The search’s own prompts lost the race on the held-out questions to your prompt with 2 worked examples per question (best: 3.75 on 2 questions vs 4.25 on 4 questions, both with 2 worked examples per question).',
    );
  });

  it('gives no figures that do not show them behind (the race pools example counts), and no “higher” unless they were', () => {
    const nodes = [root(), rewrite({ race: [{ examplesPerQuery: 0, reward: 4.1, questions: 2 }] })];
    expect(finalistsWords(examplesOnly(), nodes)).toBe(
      'The search’s own prompts lost the race on the held-out questions to your prompt with 2 worked examples per question.',
    );
  });

  it('reads an older run’s single race figure, and leaves out a copy of the start carried forward', () => {
    const nodes = [
      root({ race: undefined, validationReward: 4.25 }),
      rewrite({ validationReward: 3.5, reward: 4.6 }),
      // The start carried forward unchanged: the user's prompt, not the search's own.
      makeNode({ id: 'copy', parentId: 'root', depth: 1, reward: 4.9, validationReward: 4.5, carriedForward: true }),
    ];
    expect(finalistsWords(examplesOnly(), nodes)).toBe(
      'The search’s own prompts lost the race on the held-out questions to your prompt with 2 worked examples per question (best: 3.50 vs 4.25). Their higher scores during the search (up to 4.60) were each on a few training questions; the final check compares prompts on the same held-out ones.',
    );
  });

  it('says nothing for another result, or without a finalist in the nodes', () => {
    const nodes = [root(), rewrite({ race: [{ examplesPerQuery: 0, reward: 3, questions: 2 }] })];
    expect(finalistsWords(fellShortArtifact(), nodes)).toBe('');
    expect(finalistsWords({ ...examplesOnly(), outcome: 'unverified' }, nodes)).toBe('');
    expect(finalistsWords(examplesOnly(), [])).toBe('');
    expect(finalistsWords(examplesOnly(), [root(), rewrite({})])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { closestCandidate } from '../../../../src/core/formats/closest-candidate';
import { validateArtifact } from '../../../../src/core/formats/alignment-file';
import {
  closestCandidateStep,
  describeVerdict,
  inferenceExamples,
  LARGER_JUDGE,
} from '../../../../src/core/words/verdict-text';
import { fellShortArtifact, sampleArtifact } from '../../../support/artifacts';

const START = 'You are a helpful assistant.';
const three = [
  { query: 'Why is the sky blue?', answer: 'Air scatters blue light most.' },
  { query: 'Is 91 prime?', answer: 'No: 7 × 13.' },
  { query: 'Boil an egg?', answer: 'Nine minutes.' },
];
const fellShort = (candidate: Parameters<typeof fellShortArtifact>[0] = {}) =>
  fellShortArtifact({ examplesPerQuery: 2, icl: three, ...candidate }, { name: 'Basil helper' });

describe('the closest candidate of a "no improvement" result', () => {
  it('is an alignment of its own: its prompt, its examples and count, against the same start, unverified', () => {
    const c = closestCandidate(fellShort())!;
    expect(c.systemPrompt).toBe(`${START}\n- Say what you cannot know.`);
    expect(c.icl).toHaveLength(3);
    expect(inferenceExamples(c)).toBe(2);
    expect(c.initialPrompt).toBe(START);
    expect(c.outcome).toBe('unverified');
    expect(c.name).toBe('Closest candidate of Basil helper');
    // Its own path and training score, not the start's.
    expect(c.lineage.map((l) => l.prompt)).toEqual([START, `${START}\n- Say what you cannot know.`]);
    expect(c.scores).toEqual({
      train: 3.9,
      validation: 3.31,
      initialValidation: 3.08,
      validationQueries: 6,
      validationStandardError: 0.27,
    });
    // A valid file, which says plainly that it is not clearly better.
    expect(validateArtifact(c).ok).toBe(true);
    expect(describeVerdict(c)).toEqual({
      kind: 'unverified',
      // Headed by how it compared: "Not verified" above a comparison would contradict it.
      lead: 'Not clearly better than the starting prompt',
      sentence:
        'Not clearly better than the starting prompt: it scored 3.31 vs 3.08 for the starting prompt (+0.23 ± 0.27) on 6 held-out questions. Try it, or evaluate it on more questions, before you rely on it.',
    });
  });

  it('is called "no better", not "not clearly better", when it scored below the start', () => {
    const lower = fellShort({ validation: 2.9 });
    expect(describeVerdict(closestCandidate(lower)!).sentence).toMatch(
      /^No better than the starting prompt: it scored 2\.90 vs 3\.08 for the starting prompt \(−0\.18 ± 0\.27\)/,
    );
    expect(describeVerdict(lower).sentence).toMatch(
      /\(−0\.18 ± 0\.27\) on 6 held-out questions, no better, so this is/,
    );
    expect(describeVerdict(fellShort()).sentence).toMatch(
      /\(\+0\.23 ± 0\.27\) on 6 held-out questions, not clearly better/,
    );
  });

  it('scored no better: said to be no better on these questions, not to be tried before relying on it', () => {
    const lower = closestCandidate(fellShort({ validation: 2.9 }))!;
    expect(describeVerdict(lower).sentence).toBe(
      'No better than the starting prompt: it scored 2.90 vs 3.08 for the starting prompt (−0.18 ± 0.27) on 6 held-out questions. It is no better on these questions; evaluating it on more questions, ideally with a larger judge, is how to be sure.',
    );
    // A tie as shown is no better either.
    expect(describeVerdict(closestCandidate(fellShort({ validation: 3.081 }))!).sentence).toMatch(
      /It is no better on these questions;/,
    );
    // The CLI's line about NAME.closest.json says the same, naming the command.
    const cmd = 'drpo eval --alignment near.closest.json --starting';
    expect(closestCandidateStep(lower, 'cli', cmd)).toBe(
      'It is no better on these questions; comparing it with your prompt on more questions, ideally with a larger --judge-model, is how to be sure: drpo eval --alignment near.closest.json --starting.',
    );
    // Ahead but short of the evidence: worth trying, as before.
    expect(closestCandidateStep(closestCandidate(fellShort())!, 'cli', cmd)).toBe(
      'Try it, or compare it with your prompt on more questions before you rely on it: drpo eval --alignment near.closest.json --starting (ideally with a larger --judge-model).',
    );
    // The command printed after a self-judged run has a larger judge's placeholder: no second word on it. One
    // naming the run's own judge still gets the larger-judge advice the page gives.
    const placeholder = `${cmd} --judge-model ${LARGER_JUDGE}`;
    expect(closestCandidateStep(lower, 'cli', placeholder)).toBe(
      `It is no better on these questions; comparing it with your prompt on more questions is how to be sure: ${placeholder}.`,
    );
    expect(closestCandidateStep(closestCandidate(fellShort())!, 'cli', placeholder)).toBe(
      `Try it, or compare it with your prompt on more questions before you rely on it: ${placeholder}.`,
    );
    expect(closestCandidateStep(lower, 'cli', `${cmd} --judge-model judge-7b`)).toMatch(
      /, ideally with a larger --judge-model, is how to be sure: .* --judge-model judge-7b\.$/,
    );
    // Only a candidate that fell short is given this step.
    expect(closestCandidateStep(fellShort())).toBe('');
  });

  it('uses no examples when it was scored without them, or when the file lost them', () => {
    expect(closestCandidate(fellShort({ examplesPerQuery: 0 }))!.icl).toEqual([]);
    const lost = closestCandidate(fellShort({ icl: undefined }))!;
    expect(lost.icl).toEqual([]);
    expect(lost.examplesPerQuery).toBe(0);
  });

  it('from a file without the candidate’s path: no lineage, the result’s training score, the start by name', () => {
    const older = fellShortArtifact(
      { lineage: undefined, train: undefined },
      { initialPrompt: undefined, lineage: [{ depth: 0, prompt: 'Be brief.', reward: 3 }] },
    );
    const c = closestCandidate(older)!;
    expect(c.lineage).toEqual([]);
    expect(c.scores.train).toBe(older.scores.train);
    expect(c.initialPrompt).toBe('Be brief.');
  });

  it('exists only for "no improvement" files that name the candidate', () => {
    expect(closestCandidate({ ...fellShort(), outcome: 'improved' })).toBeNull();
    expect(closestCandidate(fellShort({ systemPrompt: undefined }))).toBeNull();
    expect(closestCandidate(sampleArtifact())).toBeNull();
  });
});

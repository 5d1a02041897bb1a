/**
 * One sample alignment (file format v1) for every test realm (unit, browser, e2e): a run's result with two
 * steps of lineage and one example, unnamed. A test overrides what it is about.
 */
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';

export function sampleArtifact(over: Partial<AlignmentArtifact> = {}): AlignmentArtifact {
  return {
    format: 'drpo-alignment',
    version: 1,
    systemPrompt: 'You are a careful assistant.\n- Admit what you do not know.\n- Be concise.',
    icl: [{ query: 'How tall is Mount Everest?', answer: 'About 8,849 m above sea level.' }],
    model: { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', engine: 'webllm' },
    judge: { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', engine: 'webllm' },
    preset: 'quick',
    settings: { iclKInference: 1 },
    scores: { train: 4.25, validation: 4.1 },
    lineage: [
      { depth: 0, prompt: 'You are a helpful assistant.', reward: 3.5 },
      { depth: 2, prompt: 'You are a careful assistant.', reward: 4.25 },
    ],
    createdAt: '2026-11-27T10:00:00.000Z',
    ...over,
  };
}

type Candidate = NonNullable<AlignmentArtifact['scores']['bestCandidate']>;

/**
 * A "no improvement" result: the file is the starting prompt, and its closest candidate (a rewrite scored
 * with one example per question: 3.31 vs 3.08 ± 0.27 on 6 kept-back questions) travels in the scores.
 */
export function fellShortArtifact(
  candidate: Partial<Candidate> = {},
  over: Partial<AlignmentArtifact> = {},
): AlignmentArtifact {
  const start = 'You are a helpful assistant.';
  return sampleArtifact({
    systemPrompt: start,
    initialPrompt: start,
    icl: [],
    examplesPerQuery: 0,
    outcome: 'no-improvement',
    scores: {
      train: 3.5,
      validation: 3.08,
      initialValidation: 3.08,
      validationQueries: 6,
      bestCandidate: {
        validation: 3.31,
        standardError: 0.27,
        systemPrompt: `${start}\n- Say what you cannot know.`,
        examplesPerQuery: 1,
        icl: [{ query: 'Why is the sky blue?', answer: 'Air scatters blue light most.' }],
        train: 3.9,
        lineage: [
          { depth: 0, prompt: start, reward: 3.5 },
          { depth: 3, prompt: `${start}\n- Say what you cannot know.`, reward: 4.25 },
        ],
        ...candidate,
      },
    },
    ...over,
  });
}

/**
 * A "no improvement" result where nothing led the race: 6 held out, 3 raced, none put to the verdict; its
 * figures are the start's (no examples) on the race's 3 questions.
 */
export function nothingLedArtifact(over: Partial<AlignmentArtifact> = {}): AlignmentArtifact {
  return sampleArtifact({
    outcome: 'no-improvement',
    scores: {
      train: 3,
      validation: 4.17,
      initialValidation: 4.17,
      validationQueries: 3,
      heldOutQueries: 6,
      raceQueries: 3,
      keptBackQueries: 3,
    },
    ...over,
  });
}

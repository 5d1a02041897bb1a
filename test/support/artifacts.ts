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

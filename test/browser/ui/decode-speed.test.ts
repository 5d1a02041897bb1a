/** The preset cards' time estimate uses a measured decode speed for the bound policy model. */
import { describe, expect, it } from 'vitest';
import { knownSpeed } from '../../../src/ui/views/drpo-run-view';
import { AppState } from '../../../src/ui/app/app-state';

describe('knownSpeed', () => {
  const decodeSpeed = (s: AppState['value'], fromRuns: ReadonlyMap<string, number>) =>
    knownSpeed(s, new Map([...fromRuns].map(([modelId, tokensPerS]) => [modelId, { modelId, tokensPerS }])))
      ?.tokensPerS ?? null;
  const roles = { policy: { engine: 'webllm' as const, modelId: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' } };

  it('prefers the last chat reply on the policy model, then stored runs, else unknown', () => {
    const fromRuns = new Map([['Llama-3.2-1B-Instruct-q4f32_1-MLC', 12]]);
    const s = new AppState({ roles });
    expect(decodeSpeed(s.value, new Map())).toBeNull();
    expect(decodeSpeed(s.value, fromRuns)).toBe(12);
    s.update({ decodeSpeed: { modelId: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', tokensPerS: 31.5 } });
    expect(decodeSpeed(s.value, fromRuns)).toBe(31.5);
    // A speed measured on another model says nothing about this one.
    s.update({ decodeSpeed: { modelId: 'other', tokensPerS: 99 } });
    expect(decodeSpeed(s.value, fromRuns)).toBe(12);
  });
});

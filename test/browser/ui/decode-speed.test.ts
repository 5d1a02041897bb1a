/** The preset cards' time estimate uses a measured decode speed for the bound policy model. */
import { describe, expect, it } from 'vitest';
import { knownSpeed } from '../../../src/ui/views/drpo-run-view';
import { AppState } from '../../../src/ui/app/app-state';

describe('knownSpeed', () => {
  const model = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
  const roles = { policy: { engine: 'webllm' as const, modelId: model } };

  it('prefers the last chat reply on the policy model, then stored runs, else unknown', () => {
    const fromRuns = new Map([[model, { modelId: model, tokensPerS: 12 }]]);
    const s = new AppState({ roles });
    expect(knownSpeed(s.value, new Map())).toBeNull();
    expect(knownSpeed(s.value, fromRuns)).toEqual({ modelId: model, tokensPerS: 12 });
    s.update({ decodeSpeed: { modelId: model, tokensPerS: 31.5 } });
    expect(knownSpeed(s.value, fromRuns)).toEqual({ modelId: model, tokensPerS: 31.5 });
    // A speed measured on another model says nothing about this one.
    s.update({ decodeSpeed: { modelId: 'other', tokensPerS: 99 } });
    expect(knownSpeed(s.value, fromRuns)).toEqual({ modelId: model, tokensPerS: 12 });
  });
});

import { describe, expect, it } from 'vitest';
import { probeGpu } from '../../../src/client/gpu';

describe('probeGpu without WebGPU', () => {
  it('is unavailable with a reason that says what is missing', async () => {
    const probe = await probeGpu();
    expect(probe.available).toBe(false);
    expect(probe.shaderF16).toBe(false);
    expect(probe.reason).toMatch(/WebGPU|GPU adapter/);
    // What to do is said beside it (the GPU status's list, the error banner's hint), once: not here too.
    expect(probe.reason).not.toMatch(/OpenAI-compatible endpoint/);
  });
});

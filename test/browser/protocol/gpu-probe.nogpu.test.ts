import { describe, expect, it } from 'vitest';
import { probeGpu } from '../../../src/client/gpu';

describe('probeGpu without WebGPU', () => {
  it('is unavailable with a reason the user can act on', async () => {
    const probe = await probeGpu();
    expect(probe.available).toBe(false);
    expect(probe.shaderF16).toBe(false);
    expect(probe.reason).toMatch(/WebGPU|GPU adapter/);
    expect(probe.reason).toMatch(/OpenAI-compatible endpoint/);
  });
});

import { describe, expect, it } from 'vitest';
import { HTTP_DEFAULTS } from '../../../../src/core/calls/endpoint-limits';
import { endpointGuards } from '../../../../src/llm/openai/endpoint-guards';

describe('endpointGuards', () => {
  it("builds an endpoint's gate and outage watch from its settings (the outage wait defaulting to a minute)", () => {
    const g = endpointGuards({ concurrency: 6, outageGraceMs: 5_000 });
    expect(g.gate.max).toBe(6);
    expect(g.outage.graceMs).toBe(5_000);
    expect(endpointGuards({ concurrency: 1 }).outage.graceMs).toBe(HTTP_DEFAULTS.outageGraceMs);
    expect(endpointGuards({ concurrency: 1, outageGraceMs: 0 }).outage.graceMs).toBe(0);
  });
});

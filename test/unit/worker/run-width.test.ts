/**
 * How wide the worker runs a job whose roles call two endpoints: every endpoint's slots together (runWidth),
 * not the smallest endpoint's, since each endpoint's gate already holds back what exceeds its own slots.
 */
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../src/core/contracts/chat-model';
import type { RunResult } from '../../../src/core/contracts/run-api';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import { runWidth } from '../../../src/core/calls/endpoint-limits';
import { runWidthOf } from '../../../src/cli/endpoint-options';
import { createWorkerApi } from '../../../src/worker/worker-api-impl';
import { smallConfig } from '../../support/engine';
import { best, judge, policy, queries } from '../../support/eval-models';

function setup() {
  const widths: { run?: number; eval?: number } = {};
  const models: Record<string, ChatModel> = { 'policy-1': policy().model, 'judge-1': judge().model };
  const api = createWorkerApi({
    webllm: () => Promise.reject(new Error('not used')),
    probeGpu: async () => ({ available: false, shaderF16: false }),
    endpoints: { listModels: async () => Object.keys(models), createModel: (o) => models[o.model]! },
    runDrpo: async (_config, deps) => {
      widths.run = deps.concurrency;
      return { status: 'completed' } as RunResult;
    },
    runEvalJob: async (_spec, deps) => {
      widths.eval = deps.concurrency;
      throw new Error('not needed');
    },
  });
  api.setEndpoint({ id: 'A', baseUrl: 'http://127.0.0.1:39/v1', concurrency: 8 });
  api.setEndpoint({ id: 'B', baseUrl: 'http://127.0.0.1:40/v1', concurrency: 2 });
  return { api, widths };
}

const on = (endpointId: string, modelId: string): RoleBinding => ({ engine: 'openai', endpointId, modelId });

describe('the width of a job over several endpoints', () => {
  it('a run with the policy on 8 slots and the other roles on 2 keeps 10 jobs in flight', async () => {
    const { api, widths } = setup();
    const other = on('B', 'judge-1');
    const config = smallConfig({
      roles: { policy: on('A', 'policy-1'), judge: other, aspect: other, optimizer: other },
    });
    await api.startRun('run-1', config, null);
    expect(widths.run).toBe(10);
    // Every role on one endpoint: its slots.
    await api.startRun('run-2', smallConfig({ roles: { policy: on('A', 'policy-1') } }), null);
    expect(widths.run).toBe(8);
  });

  it('an evaluation with the policy on 8 slots and the judge on 2 does too', async () => {
    const { api, widths } = setup();
    const request = {
      candidates: [best],
      queries,
      policy: on('A', 'policy-1'),
      judge: on('B', 'judge-1'),
    };
    await api.startEval('eval-1', request, null).catch(() => undefined);
    expect(widths.eval).toBe(10);
  });

  it('counts each server once, and the in-browser model as one request at a time', () => {
    const webllm = { id: 'webllm', slots: 1 };
    expect(runWidth([webllm, webllm, webllm, webllm])).toBe(1);
    // Mixed: the endpoint's slots stay busy while the in-browser model answers its queue one by one.
    expect(runWidth([webllm, { id: 'A', slots: 4 }, { id: 'A', slots: 4 }])).toBe(5);
    expect(
      runWidth([
        { id: 'A', slots: 8 },
        { id: 'B', slots: 2 },
        { id: 'B', slots: 2 },
      ]),
    ).toBe(10);
    // The CLI's roles share its one endpoint: its --concurrency.
    expect(runWidthOf({ concurrency: 6 })).toBe(6);
  });
});

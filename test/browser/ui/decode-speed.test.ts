/** The preset cards' time estimate uses a measured decode speed for the bound policy model, where it is bound. */
import { describe, expect, it } from 'vitest';
import { knownSpeed, speedFromRun } from '../../../src/ui/views/drpo-run-view';
import { AppState } from '../../../src/ui/app/app-state';
import type { EndpointState } from '../../../src/ui/app/app-state';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import type { RunRecord } from '../../../src/store/store';
import { speedKey } from '../../../src/ui/view-models/run/measured-speed';

const urlsOf = (endpoints: readonly EndpointState[]) => (id: string) => endpoints.find((e) => e.id === id)?.baseUrl;

describe('knownSpeed', () => {
  const model = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
  const roles = { policy: { engine: 'webllm' as const, modelId: model } };
  const key = speedKey(roles.policy, () => undefined)!;

  it('prefers the last chat reply on the policy model, then stored runs, else unknown', () => {
    const fromRuns = new Map([[key, { key, tokensPerS: 12 }]]);
    const s = new AppState({ roles });
    expect(knownSpeed(s.value, new Map())).toBeNull();
    expect(knownSpeed(s.value, fromRuns)).toEqual({ key, tokensPerS: 12 });
    s.update({ decodeSpeed: { key, tokensPerS: 31.5 } });
    expect(knownSpeed(s.value, fromRuns)).toEqual({ key, tokensPerS: 31.5 });
    // A speed measured on another model says nothing about this one.
    s.update({
      decodeSpeed: { key: speedKey({ engine: 'webllm', modelId: 'other' }, () => undefined)!, tokensPerS: 99 },
    });
    expect(knownSpeed(s.value, fromRuns)).toEqual({ key, tokensPerS: 12 });
  });

  // Two servers both serve llama3.2:1b: one on a CPU, one on a GPU.
  const cpu: EndpointState = {
    id: 'cpu',
    baseUrl: 'http://cpu-box:11434/v1',
    remember: false,
    models: ['llama3.2:1b'],
  };
  const gpu: EndpointState = {
    id: 'gpu',
    baseUrl: 'http://gpu-box:11434/v1',
    remember: false,
    models: ['llama3.2:1b'],
  };
  const onCpu: RoleBinding = { engine: 'openai', endpointId: 'cpu', modelId: 'llama3.2:1b' };
  const onGpu: RoleBinding = { ...onCpu, endpointId: 'gpu' };

  it('is the speed of the model on the server the policy is bound to, not of the same model name elsewhere', () => {
    const s = new AppState({ endpoints: [cpu, gpu], roles: { policy: onCpu } });
    const slow = { key: speedKey(onCpu, urlsOf(s.value.endpoints))!, tokensPerS: 3, perCallMs: 900 };
    const fromRuns = new Map([[slow.key, slow]]);
    s.update({ decodeSpeed: slow });
    expect(knownSpeed(s.value, new Map())).toEqual(slow);
    // The connection check ran on the slow server; the policy is then bound to the fast one: unknown, not slow.
    s.update({ roles: { policy: onGpu } });
    expect(knownSpeed(s.value, new Map())).toBeNull();
    expect(knownSpeed(s.value, fromRuns)).toBeNull();
    // The page keeps one endpoint id while its URL changes: pointed at the fast server, it is another speed too.
    s.update({ roles: { policy: onCpu }, endpoints: [{ ...cpu, baseUrl: gpu.baseUrl }] });
    expect(knownSpeed(s.value, fromRuns)).toBeNull();
    // …while the same server spelled another way (a trailing slash) is the same.
    s.update({ endpoints: [{ ...cpu, baseUrl: 'http://cpu-box:11434/v1/' }] });
    expect(knownSpeed(s.value, fromRuns)).toEqual(slow);
    // An endpoint the page does not have (a policy left bound to it) has no known speed.
    s.update({ endpoints: [] });
    expect(knownSpeed(s.value, fromRuns)).toBeNull();
  });

  it('reads a stored run by the server it recorded; an older run that recorded none says nothing of an endpoint', () => {
    const stats = { decodeTokensPerS: 20, calls: 10, elapsedMs: 20_000, generatedTokens: 200 } as RunRecord['stats'];
    const run = (policy: RoleBinding, endpointUrls?: Record<string, string>) => ({
      config: { roles: { policy } } as RunRecord['config'],
      stats,
      ...(endpointUrls ? { endpointUrls } : {}),
    });
    const fromCpu = speedFromRun(run(onCpu, { cpu: cpu.baseUrl }))!;
    expect(fromCpu).toEqual({ key: speedKey(onCpu, urlsOf([cpu]))!, tokensPerS: 20, perCallMs: 1000 });
    const s = new AppState({ endpoints: [cpu, gpu], roles: { policy: onCpu } });
    expect(knownSpeed(s.value, new Map([[fromCpu.key, fromCpu]]))).toEqual(fromCpu);
    s.update({ roles: { policy: onGpu } });
    expect(knownSpeed(s.value, new Map([[fromCpu.key, fromCpu]]))).toBeNull();
    // Older records: dropped for an endpoint (which server is unknown), kept for a local model.
    expect(speedFromRun(run(onCpu))).toBeNull();
    expect(speedFromRun(run(roles.policy))).toEqual({ key, tokensPerS: 20 });
  });
});

import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../src/core/engine';
import { PRESETS, buildRunConfig } from '../../src/core/presets';
import { projectRun } from '../../src/core/projection';
import { PRESET_NAMES, ROLES } from '../../src/core/types';
import { SYNTHETIC_QUERIES, ScriptedDrpoModel } from '../fixtures/scripted-drpo-model';
import { models } from './core-engine-helpers';

const data = {
  trainQueries: SYNTHETIC_QUERIES.slice(0, 24),
  validationQueries: SYNTHETIC_QUERIES.slice(24),
  icl: SYNTHETIC_QUERIES.slice(0, 16).map((q) => ({
    query: q.text,
    answer: 'A short draft answer. I hope this helps.',
  })),
};

describe('presets', () => {
  it('paper follows the official settings', () => {
    expect(PRESETS.paper.settings).toMatchObject({
      beamWidth: 2,
      actions: 3,
      depth: 20,
      maxDepthExtension: 10,
      queriesPerLevel: 1,
      carryForwardThreshold: 4.5,
      optimizerTemperature: 0.2,
      optimizerTopP: 0.95,
      policyTemperature: 0,
      iclK: 2,
      logprobScoring: false,
      iclRounds: 5,
      maxNewBullets: 2,
      maxBullets: 8,
      historyWindow: 5,
    });
    expect(PRESETS.paper.settings.maxTokens.policy).toBe(2048);
  });
  it('every preset has a description and valid settings', () => {
    for (const name of PRESET_NAMES) {
      expect(PRESETS[name].description.length).toBeGreaterThan(20);
      expect(() => buildRunConfig(name, data)).not.toThrow();
    }
  });
  it('buildRunConfig merges overrides and defaults roles to the policy binding', () => {
    const c = buildRunConfig('quick', {
      ...data,
      roles: {
        policy: { engine: 'webllm', modelId: 'm1' },
        judge: { engine: 'openai', modelId: 'j', endpointId: 'e' },
      },
      settings: { depth: 7, maxTokens: { judge: 300 } },
      budget: { maxCalls: 50 },
    });
    expect(c.settings.depth).toBe(7);
    expect(c.settings.maxTokens).toEqual({ ...PRESETS.quick.settings.maxTokens, judge: 300 });
    expect(c.roles.aspect).toEqual({ engine: 'webllm', modelId: 'm1' });
    expect(c.roles.judge.modelId).toBe('j');
    expect(c.budget.maxCalls).toBe(50);
    expect(c.initialPrompt).toBe('You are a helpful assistant.');
    expect(c.preset).toBe('quick');
    // The preset object is not mutated.
    expect(PRESETS.quick.settings.depth).not.toBe(7);
  });
  it('rejects bad overrides with readable messages', () => {
    expect(() => buildRunConfig('nope' as never)).toThrow(/Unknown preset/);
    expect(() => buildRunConfig('quick', { settings: { beamWidth: 0 } })).toThrow(/Beam width/);
    expect(() => buildRunConfig('quick', { settings: { optimizerTopP: 3 } })).toThrow(/top-p/);
    expect(() => buildRunConfig('quick', { settings: { maxTokens: { policy: 1.5 } } })).toThrow(/policy/);
    expect(() => buildRunConfig('quick', { budget: { maxCalls: -1 } })).toThrow(/Max calls/);
    expect(() => buildRunConfig('quick', { seed: 1.5 })).toThrow(/seed/);
  });
});

describe('projection', () => {
  it('counts calls per role consistently', () => {
    const p = projectRun(buildRunConfig('paper', data));
    const sum = ROLES.reduce((a, r) => a + p.perRole[r].calls, 0);
    expect(p.calls).toBe(sum);
    expect(p.generatedTokens).toBe(ROLES.reduce((a, r) => a + p.perRole[r].generatedTokens, 0));
    // Paper worst case: level 1 = 3 candidates, 29 more levels × 6, plus the root.
    expect(p.perRole.policy.calls).toBe(1 + 3 + 29 * 6);
    expect(p.perRole.optimizer.calls).toBe(3 + 29 * 6 + 16 * 5);
  });
  it('native n reduces optimizer calls; logprob scoring shortens judge output', () => {
    const c = buildRunConfig('quick', data);
    const plain = projectRun(c);
    const caps = projectRun(c, { optimizer: { multipleChoices: true }, judge: { logprobs: true } });
    expect(caps.perRole.optimizer.calls).toBeLessThan(plain.perRole.optimizer.calls);
    expect(caps.perRole.judge.generatedTokens).toBeLessThanOrEqual(plain.perRole.judge.generatedTokens);
  });
  it('quick projects at most 20% of paper generated tokens; thorough costs more than quick', () => {
    const quick = projectRun(buildRunConfig('quick', data));
    const paper = projectRun(buildRunConfig('paper', data));
    const thorough = projectRun(buildRunConfig('thorough', data));
    expect(quick.generatedTokens).toBeLessThanOrEqual(paper.generatedTokens * 0.2);
    expect(thorough.generatedTokens).toBeGreaterThan(quick.generatedTokens);
  });
  it('is within a factor of 2 of what a scripted run really uses', async () => {
    const config = buildRunConfig('quick', data);
    const m = new ScriptedDrpoModel({ capabilities: { logprobs: true } });
    const r = await runDrpo(config, { models: models(m) }, { runId: 'p' });
    const p = projectRun(config, { judge: { logprobs: true } });
    expect(r.stats.calls).toBeLessThanOrEqual(p.calls);
    expect(r.stats.generatedTokens).toBeLessThan(p.generatedTokens * 2);
    expect(r.stats.generatedTokens).toBeGreaterThan(p.generatedTokens / 2);
  });
});

describe('token efficiency on the scripted model', () => {
  it('quick generates at most 20% of the tokens of paper', async () => {
    const run = async (preset: 'quick' | 'paper') => {
      const m = new ScriptedDrpoModel({ capabilities: { logprobs: true } });
      return runDrpo(buildRunConfig(preset, data), { models: models(m) }, { runId: preset });
    };
    const [quick, paper] = [await run('quick'), await run('paper')];
    expect(quick.status).toBe('completed');
    expect(paper.status).toBe('completed');
    expect(quick.stats.generatedTokens).toBeLessThanOrEqual(paper.stats.generatedTokens * 0.2);
    // ...and still finds a prompt clearly better than the initial one on held-out queries.
    expect(quick.artifact!.scores.validation).toBeGreaterThan(quick.nodes[0]!.reward! + 1);
  });
});

import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import {
  DEFAULT_INITIAL_PROMPT,
  DEFAULT_PRESET,
  PRESETS,
  buildRunConfig,
  isPresetName,
} from '../../../../src/core/plan/presets';
import { budgetStops, leastCheckCalls, projectRun, raceShare } from '../../../../src/core/plan/projection';
import { verdictSplit } from '../../../../src/core/plan/settings-schema';
import { TUNING_WORLDS, runQualityTrial } from '../../../../bench/search-quality';
import { PRESET_NAMES, ROLES } from '../../../../src/core/contracts/run-config';
import { SYNTHETIC_QUERIES, ScriptedDrpoModel } from '../../../fixtures/scripted-drpo-model';
import { models, scripted, steered } from '../../../support/engine';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import { estimateTokens } from '../../../../src/core/contracts/chat-model';
import { themesShown } from '../../../fixtures/scripted-drpo-model';

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
      // The verdict's questions are what the setting says: at most half the check, never cut by the rule.
      const s = PRESETS[name].settings;
      expect(verdictSplit(s, s.validationSize).verdict).toBe(s.verdictQueries);
    }
  });
  it('a description that ranks a preset by cost agrees with the projections shown beside it', () => {
    const tokens = Object.fromEntries(
      PRESET_NAMES.map((n) => [n, projectRun(buildRunConfig(n, data)).generatedTokens]),
    ) as Record<(typeof PRESET_NAMES)[number], number>;
    const most = PRESET_NAMES.reduce((a, b) => (tokens[a] >= tokens[b] ? a : b));
    const least = PRESET_NAMES.reduce((a, b) => (tokens[a] <= tokens[b] ? a : b));
    for (const name of PRESET_NAMES) {
      const d = PRESETS[name].description;
      if (/\bmost (time|tokens|calls)\b|slowest/i.test(d)) expect(name, d).toBe(most);
      if (/\bfastest\b|\bfewest\b|least time/i.test(d)) expect(name, d).toBe(least);
    }
    // The claims the cards make (Thorough once said "most time" while Paper projects more).
    expect(PRESETS.paper.description).toMatch(/most tokens/);
    expect(PRESETS.quick.description).toMatch(/fastest/);
    // Without an example pool Paper polishes nothing and may cost less than Thorough: its claim names the
    // condition it holds under, and Quick stays the fastest either way.
    const bare = Object.fromEntries(
      PRESET_NAMES.map((n) => [n, projectRun(buildRunConfig(n, { ...data, icl: [] })).generatedTokens]),
    ) as Record<(typeof PRESET_NAMES)[number], number>;
    expect(PRESETS.paper.description).toMatch(/with the built-in examples, the most tokens/i);
    expect(PRESET_NAMES.reduce((a, b) => (bare[a] <= bare[b] ? a : b))).toBe('quick');
    expect(PRESETS.thorough.description).not.toMatch(/fewer tokens than Paper/);
  });
  it('says which budget stops a run before it is done, and how far it would get', () => {
    const p = projectRun(buildRunConfig('quick', data));
    expect(budgetStops(p, {}, 5000)).toEqual([]);
    expect(budgetStops(p, { maxCalls: 40 }, null)).toEqual([
      { limit: 'calls', at: 40, expected: p.calls, likely: true },
    ]);
    // Room for the expectation, not for every extension: it may stop.
    expect(budgetStops(p, { maxCalls: p.calls }, null)).toEqual([
      { limit: 'calls', at: p.calls, expected: p.worstCalls, likely: false },
    ]);
    expect(budgetStops(p, { maxCalls: p.worstCalls }, null)).toEqual([]);
    expect(budgetStops(p, { maxGeneratedTokens: 1000, maxWallMs: 60_000 }, 120_000)).toEqual([
      { limit: 'tokens', at: 1000, expected: p.generatedTokens, likely: true },
      { limit: 'time', at: 60_000, expected: 120_000, likely: true },
    ]);
    // No time estimate without a measured speed: nothing is claimed about the minutes.
    expect(budgetStops(p, { maxWallMs: 1 }, null)).toEqual([]);
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
  it('the default preset is one of the presets, the fastest', () => {
    expect(isPresetName(DEFAULT_PRESET)).toBe(true);
    expect(PRESETS[DEFAULT_PRESET].description).toMatch(/fastest/);
  });
  it('rejects bad overrides with readable messages', () => {
    expect(() => buildRunConfig('nope' as never)).toThrow('Unknown preset "nope". Choose quick, paper or thorough.');
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
    // Paper at its nominal depth: the root, level 1 = 3 candidates, 19 more levels × 6; then the check:
    // of its 6 validation queries, 3 race (start, final pick) × (0, 3 examples) as far as a race goes,
    // and 3 are kept back for the verdict (the pick and the start).
    expect(verdictSplit(buildRunConfig('paper', data).settings, 6)).toEqual({ race: 3, verdict: 3 });
    expect(p.perRole.policy.calls).toBe(Math.round(1 + 3 + 19 * 6 + 2 * 2 * 3 * raceShare(3, 2) + 2 * 3));
    expect(p.perRole.optimizer.calls).toBe(3 + 19 * 6 + 16 * 5);
    // The bound adds every depth extension (10 more levels), full races and retries.
    expect(p.worstCalls).toBeGreaterThan(p.calls + 10 * 6 * 2);
  });
  it('counts the check the engine will run: none without held-out queries, only those it has', () => {
    const none = projectRun(buildRunConfig('paper', { ...data, validationQueries: [] }));
    const search = projectRun(buildRunConfig('paper', { ...data, settings: { validationSize: 0 } }));
    expect(none.calls).toBe(search.calls);
    // paper asks for 32; with 6 held out it checks on those 6, as the engine does.
    const six = projectRun(buildRunConfig('paper', data));
    const asked = projectRun(buildRunConfig('paper', { ...data, settings: { validationSize: 6 } }));
    expect(six.calls).toBe(asked.calls);
    expect(six.calls).toBeGreaterThan(search.calls);
  });
  it('native n reduces optimizer calls; logprob scoring shortens judge output', () => {
    const c = buildRunConfig('quick', data);
    const plain = projectRun(c);
    const caps = projectRun(c, { optimizer: { multipleChoices: true }, judge: { logprobs: true } });
    expect(caps.perRole.optimizer.calls).toBeLessThan(plain.perRole.optimizer.calls);
    expect(caps.perRole.judge.generatedTokens).toBeLessThanOrEqual(plain.perRole.judge.generatedTokens);
  });
  it('counts a long starting prompt: every policy call sends it, the optimizer reads and rewrites it', () => {
    const c = buildRunConfig('paper', data);
    const usual = projectRun(c);
    // The default start (and a shorter one) projects what the constants were measured on.
    expect(c.initialPrompt).toBe(DEFAULT_INITIAL_PROMPT);
    expect(projectRun({ ...c, initialPrompt: 'Be kind.' })).toEqual(usual);
    const start = 'Answer plainly, say what you rely on, and say what you do not know. '.repeat(20);
    const long = projectRun({ ...c, initialPrompt: start });
    const extra = estimateTokens(start) - estimateTokens(DEFAULT_INITIAL_PROMPT);
    expect(long.calls).toBe(usual.calls);
    const policyGrowth = long.perRole.policy.promptTokens - usual.perRole.policy.promptTokens;
    // Every policy call is longer by the start's extra tokens (to one call: the race's share of calls is fractional).
    expect(Math.abs(policyGrowth - usual.perRole.policy.calls * extra)).toBeLessThanOrEqual(extra);
    expect(long.perRole.optimizer.promptTokens).toBeGreaterThan(usual.perRole.optimizer.promptTokens);
    expect(long.perRole.optimizer.generatedTokens).toBeGreaterThan(usual.perRole.optimizer.generatedTokens);
    // The judge and the aspect selector never see the system prompt.
    expect(long.perRole.judge).toEqual(usual.perRole.judge);
    expect(long.perRole.aspect).toEqual(usual.perRole.aspect);
  });
  it('quick projects at most 20% of paper generated tokens; thorough costs more than quick', () => {
    const quick = projectRun(buildRunConfig('quick', data));
    const paper = projectRun(buildRunConfig('paper', data));
    const thorough = projectRun(buildRunConfig('thorough', data));
    expect(quick.generatedTokens).toBeLessThanOrEqual(paper.generatedTokens * 0.2);
    expect(thorough.generatedTokens).toBeGreaterThan(quick.generatedTokens);
  });
  for (const preset of ['quick', 'paper', 'thorough'] as const) {
    it(`${preset}: projected calls and tokens are within ±25% of what a scripted run uses, never above the bound`, async () => {
      const config = buildRunConfig(preset, data);
      const m = new ScriptedDrpoModel();
      const r = await runDrpo(config, { models: models(m) }, { runId: 'p' });
      const p = projectRun(config, { judge: m.capabilities, optimizer: m.capabilities });
      expect(r.stats.calls / p.calls).toBeGreaterThan(0.75);
      expect(r.stats.calls / p.calls).toBeLessThan(1.25);
      expect(r.stats.generatedTokens / p.generatedTokens).toBeGreaterThan(0.75);
      expect(r.stats.generatedTokens / p.generatedTokens).toBeLessThan(1.25);
      expect(r.stats.calls).toBeLessThanOrEqual(p.worstCalls!);
    });
  }
});

describe('the fewest calls of the final check', () => {
  for (const preset of ['quick', 'paper', 'thorough'] as const)
    it(`${preset}: no final check takes fewer calls than the least the time-left range shows`, async () => {
      const settings = { depth: 3, maxDepthExtension: 0, iclRounds: 0 };
      const config = buildRunConfig(preset, { ...data, settings });
      const checkCalls = async (
        judge?: (answer: string) => number,
        policy?: (answer: string, system: string) => string,
        run = config,
      ) => {
        const inner = scripted();
        const model = judge ? steered(inner, { judge, ...(policy ? { policy } : {}) }) : inner;
        // Every call of every role, steered ones included.
        let calls = 0;
        let atLastBeam = 0;
        const counted: ChatModel = { ...model, chat: (req) => (calls++, model.chat(req)) };
        await runDrpo(
          run,
          { models: models(counted) },
          {
            runId: preset,
            onEvent: (e) => {
              if (e.type === 'beam-selected') atLastBeam = calls;
            },
          },
        );
        return calls - atLastBeam;
      };
      const least = leastCheckCalls(config);
      expect(least).toBeGreaterThan(0);
      // A check with finalists; one where every rewrite is worse than the start (no verdict is asked);
      // and one where the start, judged perfect, was carried forward throughout (no finalist at all).
      expect(await checkCalls()).toBeGreaterThanOrEqual(least);
      expect(await checkCalls((answer) => (themesShown(answer).length > 0 ? 1 : 4))).toBeGreaterThanOrEqual(least);
      expect(await checkCalls(() => 5)).toBeGreaterThanOrEqual(least);
      // The bound is reached: the start, judged perfect, carried forward, and every example count judged
      // worse (none used during the search), so after the first round only the control answers.
      const mark = ' [with examples]';
      const withExamples = (answer: string, system: string) =>
        system.includes('Examples of the kind') ? answer + mark : answer;
      const noSearchExamples = buildRunConfig(preset, { ...data, settings: { ...settings, iclK: 0 } });
      expect(leastCheckCalls(noSearchExamples)).toBe(least);
      expect(await checkCalls((a) => (a.endsWith(mark) ? 1 : 5), withExamples, noSearchExamples)).toBe(least);
    });
  it('the fewest calls, by hand: quick on 6 held-out questions (3 race, 3 kept back, rounds of 2)', () => {
    const config = buildRunConfig('quick', { ...data, settings: { depth: 3, maxDepthExtension: 0, iclRounds: 0 } });
    // Round 1: the start with 0 and 2 examples on 2 questions (4 answers, 4 judgements); round 2: the
    // control alone on the third (1 + 1); the aspects of the 3 race questions. Kept-back: never asked.
    expect(leastCheckCalls(config)).toBe(4 + 4 + 1 + 1 + 3);
  });
});

describe('token efficiency', () => {
  it('quick generates at most 20% of the tokens of paper on the tuning worlds (seed 1)', async () => {
    let quick = 0;
    let paper = 0;
    for (const world of TUNING_WORLDS) {
      quick += (await runQualityTrial({ preset: 'quick', world, seed: 1 })).generatedTokens;
      paper += (await runQualityTrial({ preset: 'paper', world, seed: 1 })).generatedTokens;
    }
    expect(quick).toBeLessThanOrEqual(paper * 0.2);
  });

  it('quick still finds a prompt clearly better than the start on the noiseless scripted model', async () => {
    const m = new ScriptedDrpoModel({ capabilities: { logprobs: true } });
    const quick = await runDrpo(buildRunConfig('quick', data), { models: models(m) }, { runId: 'quick' });
    expect(quick.artifact!.outcome).toBe('improved');
    expect(quick.artifact!.scores.validation!).toBeGreaterThan(quick.artifact!.scores.initialValidation! + 1);
  });
});

import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { ErrorName } from '../../../../src/core/contracts/errors';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { SearchNode } from '../../../../src/core/contracts/search-node';
import { collector, fakeClock, models, perfectJudge, scripted, smallConfig } from '../../../support/engine';
import { rejection } from '../../../support/errors';

const strip = (nodes: SearchNode[]) => nodes.map((n) => ({ ...n, createdAt: 0 }));

describe('runDrpo: happy path', () => {
  it('searches, emits events in order and builds an artifact', async () => {
    const m = scripted();
    const { events, onEvent } = collector();
    const checkpoints: RunCheckpoint[] = [];
    const r = await runDrpo(
      smallConfig(),
      { models: models(m), now: fakeClock() },
      {
        runId: 'run-1',
        onEvent,
        onCheckpoint: (cp) => void checkpoints.push(cp),
      },
    );
    expect(r.status).toBe('completed');
    // Level 0: root; level 1: 2 rewrites of the root; levels 2–3: up to 4 each.
    expect(r.nodes[0]!.id).toBe('d0-n0');
    expect(r.nodes.filter((n) => n.depth === 1)).toHaveLength(2);
    expect(r.nodes.every((n) => /^d\d+-n\d+$/.test(n.id))).toBe(true);
    expect(new Set(r.nodes.map((n) => n.id)).size).toBe(r.nodes.length);
    expect(checkpoints).toHaveLength(r.nodes.length);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types.at(-1)).toBe('run-finished');
    expect(types.filter((t) => t === 'node-evaluated')).toHaveLength(r.nodes.length);
    expect(types.filter((t) => t === 'beam-selected')).toHaveLength(3);
    expect(types.filter((t) => t === 'usage').length).toBeGreaterThanOrEqual(r.stats.calls);
    // Search makes progress on the scripted model.
    expect(r.best!.reward).toBeGreaterThan(r.nodes[0]!.reward!);
    expect(r.artifact).toMatchObject({
      format: 'drpo-alignment',
      version: 1,
      preset: 'quick',
      model: { id: 'scripted-drpo' },
    });
    expect(r.artifact!.systemPrompt).toBe(r.best!.prompt);
    expect(r.artifact!.lineage[0]!.depth).toBe(0);
    expect(r.artifact!.lineage.at(-1)!.prompt).toBe(r.best!.prompt);
    expect(r.stats.perRole.policy.calls).toBeGreaterThan(0);
    expect(r.stats.calls).toBe(m.callCount());
  });

  it('beam keeps the best nodes of each level by path reward', async () => {
    const { events, onEvent } = collector();
    const r = await runDrpo(smallConfig(), { models: models(scripted()) }, { runId: 'r', onEvent });
    for (const e of events) {
      if (e.type !== 'beam-selected') continue;
      const level = r.nodes.filter((n) => n.depth === e.depth && n.reward !== null);
      const best = Math.max(...level.map((n) => n.pathReward));
      const chosen = r.nodes.find((n) => n.id === e.nodeIds[0])!;
      expect(chosen.pathReward).toBe(best);
      expect(e.nodeIds.length).toBeLessThanOrEqual(2);
    }
  });

  it('is deterministic for the same seed', async () => {
    const a = await runDrpo(smallConfig(), { models: models(scripted()), now: fakeClock() }, { runId: 'a' });
    const b = await runDrpo(smallConfig(), { models: models(scripted()), now: fakeClock() }, { runId: 'b' });
    expect(strip(b.nodes)).toEqual(strip(a.nodes));
    expect(b.best).toEqual(a.best);
    const c = await runDrpo(smallConfig({ seed: 7 }), { models: models(scripted()) }, { runId: 'c' });
    expect(c.nodes.map((n) => n.prompt)).not.toEqual(a.nodes.map((n) => n.prompt));
  });

  it('uses native n when the optimizer supports multiple choices', async () => {
    const m = scripted({ capabilities: { multipleChoices: true } });
    const r = await runDrpo(smallConfig(), { models: models(m) }, { runId: 'n' });
    expect(r.status).toBe('completed');
    // One optimizer call per expanded parent: 1 + 2 + 2.
    expect(m.callCount('optimizer')).toBe(5);
    expect(r.nodes.filter((n) => n.depth === 1)).toHaveLength(2);
  });

  it('validates the finalists and the starting prompt on held-out queries', async () => {
    const config = smallConfig({ settings: { validationSize: 3, validationCandidates: 2 } });
    config.validationQueries = config.trainQueries.slice(9, 12).map((q) => ({ ...q, id: `v-${q.id}` }));
    const { events, onEvent } = collector();
    const r = await runDrpo(config, { models: models(scripted()) }, { runId: 'v', onEvent });
    const validated = r.nodes.filter((n) => n.validationReward !== undefined);
    // Two finalists plus the starting prompt (the control).
    expect(validated.map((n) => n.id)).toContain('d0-n0');
    expect(validated.length).toBeLessThanOrEqual(3);
    const winner = r.nodes.find((n) => n.id === r.best!.nodeId)!;
    expect(r.artifact!.scores.validation).toBe(winner.validationReward);
    expect(r.artifact!.scores.initialValidation).toBe(r.nodes[0]!.validationReward);
    expect(events.some((e) => e.type === 'stage-changed' && e.stage === 'validation')).toBe(true);
  });

  it('runs stage 1 when iclRounds > 0 and keeps improved examples', async () => {
    const config = smallConfig({
      settings: { iclRounds: 2, depth: 1 },
      icl: [
        { query: 'How do I boil an egg?', answer: 'Boil it. I hope this helps.' },
        { query: 'Explain gravity briefly.', answer: 'Things fall. I hope this helps.' },
      ],
    });
    const { events, onEvent } = collector();
    const r = await runDrpo(config, { models: models(scripted()) }, { runId: 'icl', onEvent });
    const updates = events.filter((e) => e.type === 'icl-updated');
    expect(updates).toHaveLength(2);
    expect(r.artifact!.icl).toHaveLength(2);
    expect(r.artifact!.icl[0]!.answer.length).toBeGreaterThan('Boil it. I hope this helps.'.length);
  });

  it('uses the base-model template through complete()', async () => {
    const m = scripted();
    const r = await runDrpo(
      smallConfig({ template: 'base-markdown', settings: { depth: 1 } }),
      { models: models(m) },
      { runId: 't' },
    );
    expect(r.status).toBe('completed');
    const policyCall = m.calls.find((c) => c.role === 'policy')!;
    expect(policyCall.key).toContain('# instructions');
    expect(policyCall.key).toContain('# Query:');
  });
});

describe('runDrpo: a damaged checkpoint', () => {
  it('is refused up front with its field named, before any call (the page and the CLI share this check)', async () => {
    let saved: RunCheckpoint | undefined;
    await runDrpo(
      smallConfig({ settings: { depth: 1 } }),
      { models: models(scripted()) },
      { runId: 'd', onCheckpoint: (cp) => void (saved = JSON.parse(JSON.stringify(cp)) as RunCheckpoint) },
    );
    expect(saved).toBeDefined();
    const spoilt: [string, (cp: RunCheckpoint) => void][] = [
      ['nodes[0]: must be an object', (cp) => (cp.nodes[0] = null as never)],
      ['config.icl: must be a list of examples', (cp) => (cp.config.icl = 'x' as never)],
      ['calls["', (cp) => (cp.calls[Object.keys(cp.calls)[0]!] = 'junk')],
    ];
    for (const [field, spoil] of spoilt) {
      const cp = JSON.parse(JSON.stringify(saved)) as RunCheckpoint;
      spoil(cp);
      const fresh = scripted();
      const err = await rejection(runDrpo(cp.config, { models: models(fresh) }, { runId: 'd', checkpoint: cp }));
      expect(err.name).toBe(ErrorName.InvalidInput);
      expect(err.message).toContain('This checkpoint is damaged (');
      expect(err.message).toContain(field);
      expect(fresh.calls).toHaveLength(0);
    }
  });

  it('junk in an optional stat is left out, not refused (as junk outages are): the run resumes', async () => {
    let saved: RunCheckpoint | undefined;
    const config = smallConfig({ settings: { depth: 1 } });
    await runDrpo(config, { models: models(scripted()) }, { runId: 'j', onCheckpoint: (cp) => void (saved = cp) });
    const cp = JSON.parse(JSON.stringify(saved)) as RunCheckpoint;
    cp.stats.promptReads = { policy: null, judge: { most: 'x' }, optimizer: { most: 5, cut: 7 } } as never;
    const r = await runDrpo(cp.config, { models: models(scripted()) }, { runId: 'j', checkpoint: cp });
    expect(r.status).toBe('completed');
    expect(r.stats.promptReads).toEqual({ optimizer: { most: 5 } });
  });
});

describe('runDrpo: model misbehaviour', () => {
  it('records parse failures (after one retry) instead of scoring them', async () => {
    const m = scripted({ modes: { brokenJson: ['judge'] } });
    const { events, onEvent } = collector();
    const r = await runDrpo(smallConfig({ settings: { depth: 1 } }), { models: models(m) }, { runId: 'p', onEvent });
    const root = r.nodes[0]!;
    expect(root.reward).toBeNull();
    expect(root.evaluations[0]!.reward).toBeNull();
    expect(root.parseFailures[0]).toMatchObject({ role: 'judge', stage: 'judgement' });
    expect(root.parseFailures[0]!.message).toContain('after one retry');
    expect(events.some((e) => e.type === 'parse-failure' && e.nodeId === 'd0-n0')).toBe(true);
    expect(r.stats.parseFailures).toBeGreaterThan(0);
    // Every judge request was tried exactly twice (once with the reminder).
    const judgeKeys = m.calls.filter((c) => c.role === 'judge').map((c) => c.key);
    expect(judgeKeys.filter((k) => k.includes('Reply with the JSON object only'))).toHaveLength(judgeKeys.length / 2);
    // Null-reward nodes are kept, ranked last, and carried forward (no feedback to optimize from).
    expect(r.nodes.every((n) => n.reward === null)).toBe(true);
    expect(r.nodes.find((n) => n.depth === 1)!.carriedForward).toBe(true);
    // With not one judge reply read, nothing was measured: the run fails, named as the endpoint's fault,
    // and hands back no "result" (it would be the starting prompt, unscored).
    expect(r.status).toBe('failed');
    expect(r.artifact).toBeNull();
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ error: { name: ErrorName.NothingScored } });
    expect(error && error.type === 'error' && error.error.message).toMatch(/No prompt could be scored/);
  });

  it('a model whose every answer is empty: the run fails, it does not score the start 1 and call it a result', async () => {
    const m = scripted({ modes: { emptyAnswers: true } });
    const { events, onEvent } = collector();
    const r = await runDrpo(smallConfig({ settings: { depth: 1 } }), { models: models(m) }, { runId: 'e', onEvent });
    expect(r.status).toBe('failed');
    expect(r.artifact).toBeNull();
    const error = events.find((e) => e.type === 'error');
    expect(error && error.type === 'error' && error.error).toMatchObject({
      name: ErrorName.NothingScored,
      message: 'No prompt could be scored: every answer the model gave was empty.',
    });
  });

  it('a judge that can be read now and then still gives a finished run', async () => {
    const m = scripted({ modes: { brokenJson: ['judge'], brokenShare: 0.6 } });
    const r = await runDrpo(smallConfig({ settings: { depth: 2 } }), { models: models(m) }, { runId: 'some' });
    expect(r.stats.parseFailures).toBeGreaterThan(0);
    expect(r.nodes.some((n) => n.reward !== null)).toBe(true);
    expect(r.status).toBe('completed');
    expect(r.artifact).not.toBeNull();
  });

  it('retries each unreadable optimizer choice of a native-n reply once, then keeps the parent', async () => {
    const m = scripted({ capabilities: { multipleChoices: true }, modes: { brokenJson: ['optimizer'] } });
    const r = await runDrpo(smallConfig({ settings: { depth: 1 } }), { models: models(m) }, { runId: 'nbad' });
    expect(r.status).toBe('completed');
    // One n-choice call, then one reminder retry per choice (2 actions in the quick preset).
    const optimizerKeys = m.calls.filter((c) => c.role === 'optimizer').map((c) => c.key);
    expect(optimizerKeys).toHaveLength(3);
    expect(optimizerKeys.filter((k) => k.includes('Reply with the JSON object only'))).toHaveLength(2);
    const child = r.nodes.find((n) => n.depth === 1)!;
    expect(child.carriedForward).toBe(true);
    expect(child.prompt).toBe(r.nodes[0]!.prompt);
    const optimizerFailures = child.parseFailures.filter((f) => f.role === 'optimizer');
    expect(optimizerFailures).toHaveLength(2);
    for (const f of optimizerFailures) expect(f.message).toContain('after one retry');
  });

  it('retries a cut-off JSON reply with more room, then reports it', async () => {
    const m = scripted();
    const r = await runDrpo(
      smallConfig({ settings: { depth: 1, maxTokens: { judge: 20 } } }),
      { models: models(m) },
      { runId: 'cut' },
    );
    const judgeCalls = m.calls
      .filter((c) => c.role === 'judge')
      .map((c) => JSON.parse(c.key) as { max_tokens: number });
    expect(judgeCalls.map((c) => c.max_tokens).slice(0, 2)).toEqual([20, 30]);
    expect(r.nodes[0]!.parseFailures[0]!.message).toContain('cut off');
  });

  it('falls back to default aspects when aspect selection is unreadable', async () => {
    const m = scripted({ modes: { brokenJson: ['aspect'] } });
    const r = await runDrpo(smallConfig({ settings: { depth: 1 } }), { models: models(m) }, { runId: 'a' });
    const root = r.nodes[0]!;
    expect(root.evaluations[0]!.aspects.map((a) => a.name)).toEqual(['Helpfulness', 'Clarity', 'Factuality']);
    expect(root.parseFailures.some((f) => f.stage === 'aspects')).toBe(true);
    expect(root.reward).not.toBeNull();
  });

  it('records optimizer failures and keeps the parent prompt', async () => {
    const m = scripted({ modes: { brokenJson: ['optimizer'] } });
    const r = await runDrpo(smallConfig({ settings: { depth: 1 } }), { models: models(m) }, { runId: 'o' });
    const child = r.nodes.find((n) => n.depth === 1)!;
    expect(child.prompt).toBe(r.nodes[0]!.prompt);
    expect(child.carriedForward).toBe(true);
    expect(child.parseFailures.filter((f) => f.role === 'optimizer')).toHaveLength(2);
  });

  it('keeps odd and unknown aspect names', async () => {
    const r = await runDrpo(
      smallConfig({ settings: { depth: 1 } }),
      { models: models(scripted({ modes: { wrongAspectNames: true } })) },
      { runId: 'w' },
    );
    const names = r.nodes[0]!.evaluations[0]!.aspects.map((a) => a.name);
    expect(names).toContain('Critical-Thinking');
    expect(names).toContain('Clarity');
    expect(names).toContain('Humor');
    expect(r.nodes[0]!.evaluations[0]!.scores.map((s) => s.aspect)).toContain('Humor');
  });

  it('drops out-of-range scores as unreadable (never clamped), keeps 1–5 scores written as text', async () => {
    // The judge scores the 1st, 4th… aspect 7 and the 2nd, 5th… 0: clamped, they would read as 5 and 1.
    const r = await runDrpo(
      smallConfig({ settings: { depth: 1 } }),
      { models: models(scripted({ modes: { outOfRange: true } })) },
      { runId: 'x' },
    );
    const evals = r.nodes.flatMap((n) => n.evaluations);
    expect(evals.length).toBeGreaterThan(0);
    for (const e of evals) {
      expect(e.aspects).toHaveLength(3);
      // Only the third aspect's score ("2", in range) is read; the reward rests on it alone.
      expect(e.scores.map((x) => x.aspect)).toEqual([e.aspects[2]!.name]);
      expect(e.reward).toBe(e.scores[0]!.score);
      expect(e.scores[0]!.score).toBeGreaterThanOrEqual(1);
      expect(e.scores[0]!.score).toBeLessThanOrEqual(5);
    }
  });

  it('scores empty answers 1 without a judge call', async () => {
    const m = scripted({ modes: { emptyAnswers: true } });
    const r = await runDrpo(smallConfig({ settings: { depth: 1 } }), { models: models(m) }, { runId: 'e' });
    expect(r.nodes[0]!.reward).toBe(1);
    expect(r.nodes[0]!.evaluations[0]!.answer).toBe('');
    expect(m.callCount('judge')).toBe(0);
  });

  it('judges answers that never end as cut off', async () => {
    const m = scripted({ modes: { neverEnding: true } });
    const r = await runDrpo(
      smallConfig({ settings: { depth: 1, maxTokens: { policy: 64 } } }),
      { models: models(m) },
      { runId: 'l' },
    );
    const e = r.nodes[0]!.evaluations[0]!;
    expect(e.finishReason).toBe('length');
    expect(e.answer.length).toBeLessThanOrEqual(64 * 4);
    expect(m.calls.find((c) => c.role === 'judge')!.key).toContain('cut off by a length limit');
    expect(e.reward).not.toBeNull();
  });

  it('fails cleanly on a model error, keeping finished nodes', async () => {
    const m = scripted({ failOnCall: 15 });
    const { events, onEvent } = collector();
    const checkpoints: RunCheckpoint[] = [];
    const r = await runDrpo(
      smallConfig(),
      { models: models(m) },
      {
        runId: 'f',
        onEvent,
        onCheckpoint: (cp) => void checkpoints.push(cp),
      },
    );
    expect(r.status).toBe('failed');
    const err = events.find((e) => e.type === 'error');
    expect(err && err.type === 'error' && err.error.name).toBe('ServerError');
    expect(r.nodes.length).toBeGreaterThan(0);
    expect(checkpoints.at(-1)!.nodes).toHaveLength(r.nodes.length);
    expect(events.at(-1)!.type).toBe('run-finished');
  });
});

describe('runDrpo: carry forward', () => {
  it('carries a perfect prompt forward unchanged and extends the depth (once per level, capped)', async () => {
    const m = perfectJudge(scripted());
    const { events, onEvent } = collector();
    const r = await runDrpo(
      smallConfig({ settings: { depth: 2, maxDepthExtension: 2 } }),
      { models: models(m) },
      { runId: 'cf', onEvent },
    );
    const ext = events.filter((e) => e.type === 'depth-extended');
    expect(ext).toHaveLength(2);
    expect(ext.map((e) => (e.type === 'depth-extended' ? e.maxDepth : 0))).toEqual([3, 4]);
    expect(Math.max(...r.nodes.map((n) => n.depth))).toBe(4);
    // Only one action per level: the same prompt, no optimizer call.
    expect(r.nodes.filter((n) => n.depth > 0).every((n) => n.carriedForward && n.prompt === r.nodes[0]!.prompt)).toBe(
      true,
    );
    expect(r.stats.perRole.optimizer.calls).toBe(0);
  });
});

describe('runDrpo: input errors', () => {
  it('rejects configs it cannot run, with a readable message', async () => {
    const m = models(scripted());
    await expect(runDrpo(smallConfig({ trainQueries: [] }), { models: m }, { runId: 'r' })).rejects.toMatchObject({
      name: 'InvalidInputError',
      message: expect.stringContaining('training query'),
    });
    const bad = smallConfig();
    bad.settings.beamWidth = 0;
    await expect(runDrpo(bad, { models: m }, { runId: 'r' })).rejects.toMatchObject({ name: 'InvalidInputError' });
    await expect(
      runDrpo(smallConfig(), { models: { ...m, judge: undefined as never } }, { runId: 'r' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('judge') });
    await expect(
      runDrpo(smallConfig(), { models: m }, { runId: 'r', checkpoint: { format: 'nope' } as unknown as RunCheckpoint }),
    ).rejects.toMatchObject({ name: 'InvalidInputError' });
  });
});

describe('runDrpo: scoring options', () => {
  it('scores from logprobs when enabled and the judge supports them', async () => {
    const m = scripted({ capabilities: { logprobs: true } });
    const r = await runDrpo(
      smallConfig({ settings: { depth: 1, logprobScoring: true } }),
      { models: models(m) },
      { runId: 'lp' },
    );
    const scores = r.nodes.flatMap((n) => n.evaluations.flatMap((e) => e.scores.map((s) => s.score)));
    expect(scores.some((s) => !Number.isInteger(s))).toBe(true);
    expect(scores.every((s) => s >= 1 && s <= 5)).toBe(true);
    const judgeKey = m.calls.find((c) => c.role === 'judge')!.key;
    expect(judgeKey).toContain('"logprobs":true');
    expect(judgeKey).toContain('one short sentence');
  });

  it('ignores logprob scoring when the judge cannot give logprobs', async () => {
    const m = scripted();
    const r = await runDrpo(
      smallConfig({ settings: { depth: 1, logprobScoring: true } }),
      { models: models(m) },
      { runId: 'lp' },
    );
    const scores = r.nodes.flatMap((n) => n.evaluations.flatMap((e) => e.scores.map((s) => s.score)));
    expect(scores.every((s) => Number.isInteger(s))).toBe(true);
    expect(m.calls.find((c) => c.role === 'judge')!.key).not.toContain('"logprobs":true');
  });

  it('shows custom aspects to the aspect selector', async () => {
    const m = scripted();
    await runDrpo(
      smallConfig({
        settings: { depth: 1 },
        customAspects: [{ name: 'Brevity', description: 'Says it in few words.' }],
      }),
      { models: models(m) },
      { runId: 'ca' },
    );
    expect(m.calls.find((c) => c.role === 'aspect')!.key).toContain('Brevity: Says it in few words.');
  });

  it('selects aspects once per query and serves repeats from the cache', async () => {
    const m = scripted();
    const { events, onEvent } = collector();
    const config = smallConfig({ trainQueries: smallConfig().trainQueries.slice(0, 2) });
    const r = await runDrpo(config, { models: models(m) }, { runId: 'cache', onEvent });
    expect(m.callCount('aspect')).toBe(2);
    expect(r.stats.perRole.aspect.calls).toBe(2);
    // Identical answers to identical questions are judged once; repeats are cache hits.
    const cached = events.filter((e) => e.type === 'usage' && e.cached).length;
    expect(cached).toBe(r.stats.cachedCalls);
  });
});

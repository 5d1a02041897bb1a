/**
 * Sanity of the measuring instrument (test/fixtures/sim-world): the simulated worlds must be
 * deterministic, noisy where real models are noisy, and have a ground truth with room to improve.
 */
import { describe, expect, it } from 'vitest';
import { createAspectCatalog } from '../../src/core/aspects';
import type { ChatRequest } from '../../src/core/chat-model';
import { runDrpo } from '../../src/core/engine';
import { extractJson } from '../../src/core/json-repair';
import { ASPECT_SCHEMA, aspectMessages, parseAspects } from '../../src/core/prompts/aspects';
import { expectedScoresFromLogprobs, judgeMessages, judgeSchema, parseJudgement } from '../../src/core/prompts/judge';
import { OPTIMIZER_SCHEMA, countBullets, optimizerMessages, parseOptimizer } from '../../src/core/prompts/optimizer';
import { buildRunConfig } from '../../src/core/presets';
import { createRetriever } from '../../src/core/retrieval';
import { buildChatMessages } from '../../src/core/templates';
import type { QueryEvaluation, SelectedAspect } from '../../src/core/types';
import { INSTRUCTIONS, OPENINGS, SimWorld, SimWorldModel, WORLD_PARAMS, getWorld } from '../fixtures/sim-world';
import { canonicalPrompt, detectInstructions } from '../fixtures/sim-world/instructions';
import type { WorldParams } from '../fixtures/sim-world';

const catalog = createAspectCatalog();
const START = OPENINGS[0]!;

/** A small world for end-to-end runs (fewer held-out queries keeps the scorer fast). */
function smallWorld(overrides: Partial<WorldParams> = {}): SimWorld {
  return new SimWorld(
    {
      ...(WORLD_PARAMS['tune-a'].params as WorldParams),
      name: 'small',
      trainCount: 16,
      validationCount: 8,
      heldOutCount: 60,
      ...overrides,
    },
    7,
  );
}

function text(r: { choices: { text: string }[] }): string {
  return r.choices[0]!.text;
}

async function answer(m: SimWorldModel, prompt: string, query: string, seed: number, maxTokens = 1024) {
  const r = await m.chat({ messages: buildChatMessages(prompt, [], query), seed, max_tokens: maxTokens });
  return r.choices[0]!;
}

async function aspectsFor(m: SimWorldModel, query: string): Promise<SelectedAspect[]> {
  const r = await m.chat({ messages: aspectMessages(query, catalog), json: ASPECT_SCHEMA, seed: 1 });
  const parsed = parseAspects(extractJson(text(r))!, catalog);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

function judgeRequest(query: string, answerText: string, aspects: SelectedAspect[], seed: number): ChatRequest {
  return {
    messages: judgeMessages({ query, answer: answerText, aspects, truncated: false, shortRationales: false }, catalog),
    json: judgeSchema(aspects),
    seed,
  };
}

function sd(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

describe('simulated worlds', () => {
  it('are deterministic: same world and seed, same queries, truth and answers', async () => {
    const a = smallWorld();
    const b = smallWorld();
    expect(b.heldOut).toEqual(a.heldOut);
    expect(b.examplePool).toEqual(a.examplePool);
    const prompt = canonicalPrompt([0, 3]);
    const alignment = { systemPrompt: prompt, icl: a.examplePool, examplesPerQuery: 3 };
    expect(await b.truthOf(alignment)).toBe(await a.truthOf(alignment));
    const q = a.trainQueries[0]!.text;
    const [x, y] = [await answer(new SimWorldModel(a), prompt, q, 5), await answer(new SimWorldModel(b), prompt, q, 5)];
    expect(y.text).toBe(x.text);
    // Another prompt or another seed gives another answer.
    expect((await answer(new SimWorldModel(a), prompt, q, 6)).text).not.toBe(x.text);
    // A different world seed is a different world.
    expect(new SimWorld(a.params, 8).heldOut).not.toEqual(a.heldOut);
  });

  it('has per-query difficulty that varies more than any instruction moves a query', () => {
    const w = getWorld('tune-a');
    const d = w.heldOut.map((q) => w.queryInfo(q.text).difficulty);
    const largest = Math.max(...w.weights.flat().map(Math.abs));
    expect(largest).toBeLessThanOrEqual(0.45);
    expect(sd(d)).toBeGreaterThan(0.6);
    expect(sd(d)).toBeGreaterThan(largest);
  });

  it('has appealing instructions that hurt, and neutral ones that do little', async () => {
    const w = getWorld('tune-a');
    const start = await w.startTruth();
    expect(start).toBeGreaterThan(2.8);
    expect(start).toBeLessThan(3.2);
    const effect = async (id: string) =>
      (await w.truthOf({
        systemPrompt: canonicalPrompt([INSTRUCTIONS.findIndex((d) => d.id === id)]),
        icl: [],
        examplesPerQuery: 0,
      })) - start;
    for (const id of ['over-refuse', 'clarify-first', 'padding', 'cite']) expect(await effect(id)).toBeLessThan(0);
    for (const id of ['plain-words', 'respectful', 'markdown']) expect(Math.abs(await effect(id))).toBeLessThan(0.03);
    expect(await effect('safe-decline')).toBeGreaterThan(0);
  });

  it('recognises each instruction by its own phrase only, and openings carry none', () => {
    INSTRUCTIONS.forEach((def, i) => {
      for (const wording of def.wordings) expect(detectInstructions(wording.toLowerCase())).toEqual([i]);
    });
    for (const o of OPENINGS) expect(detectInstructions(o.toLowerCase())).toEqual([]);
  });

  it('has a best reachable alignment above the start; gap closed is 0 at the start and 1 at the best', async () => {
    const w = getWorld('tune-a');
    const best = await w.bestReachable();
    const start = await w.startTruth();
    expect(best.truth - start).toBeGreaterThan(0.4);
    expect(await w.gapClosed({ systemPrompt: START, icl: [], examplesPerQuery: 0 })).toBe(0);
    expect(await w.gapClosed(best)).toBeCloseTo(1, 6);
  });

  it('retrieves examples of the query’s category for most held-out queries (BM25)', async () => {
    const w = getWorld('tune-a');
    const r = createRetriever(w.examplePool);
    const pooled = new Set(w.examplePool.map((e) => w.queryInfo(e.query).category));
    let same = 0;
    let n = 0;
    for (const q of w.heldOut.filter((x) => pooled.has(x.category))) {
      const [e] = await r.retrieve(q.text, 1);
      n++;
      if (w.queryInfo(e!.query).category === q.category) same++;
    }
    expect(same / n).toBeGreaterThan(0.6);
  });
});

describe('the world model', () => {
  it('judges with noise of SD ≥ 0.5 around its noiseless view, deterministically per seed', async () => {
    for (const { params } of Object.values(WORLD_PARAMS)) expect(params.judgeNoise).toBeGreaterThanOrEqual(0.5);
    // The least noisy world, judged without logprobs.
    const w = getWorld('report-1');
    const m = new SimWorldModel(w);
    const residuals: number[] = [];
    for (const q of w.trainQueries.slice(0, 40)) {
      const aspects = await aspectsFor(m, q.text);
      for (const seed of [1, 2]) {
        const a = await answer(m, OPENINGS[seed]!, q.text, seed);
        const view = m.hidden(a.text)!.judgeView;
        const req = judgeRequest(q.text, a.text, aspects, seed);
        const r = await m.chat(req);
        expect(text(await m.chat(req))).toBe(text(r));
        const scores = parseJudgement(extractJson(text(r))!, aspects);
        if (typeof scores === 'string') throw new Error(scores);
        for (const s of scores) residuals.push(s.score - view - w.aspectOffsets.get(s.aspect)!);
      }
    }
    expect(residuals.length).toBeGreaterThan(200);
    expect(sd(residuals)).toBeGreaterThanOrEqual(0.5);
  });

  it('returns score logprobs the engine can read when the world supports them', async () => {
    const w = getWorld('report-1');
    const m = new SimWorldModel(w);
    const q = w.trainQueries[1]!.text;
    const aspects = await aspectsFor(m, q);
    expect(aspects.length).toBeGreaterThanOrEqual(2);
    expect(aspects.length).toBeLessThanOrEqual(5);
    const a = await answer(m, START, q, 3);
    const r = await m.chat({ ...judgeRequest(q, a.text, aspects, 3), logprobs: true, top_logprobs: 5 });
    const expected = expectedScoresFromLogprobs(r.choices[0]!.logprobs);
    expect(expected).toHaveLength(aspects.length);
    for (const e of expected!) expect(e).toBeGreaterThanOrEqual(1);
    const noLogprobs = new SimWorldModel(getWorld('report-2'));
    expect(noLogprobs.capabilities.logprobs).toBe(false);
  });

  it('cuts answers at max_tokens and counts tokens as characters / 4', async () => {
    const w = getWorld('tune-a');
    const m = new SimWorldModel(w);
    const q = w.trainQueries.find((x) => x.category === 'how-to')!.text;
    const full = await answer(m, START, q, 1, 4096);
    const cut = await answer(m, START, q, 1, 40);
    expect(full.finish_reason).toBe('stop');
    expect(cut.finish_reason).toBe('length');
    expect(cut.text.length).toBe(160);
    expect(m.hidden(cut.text)!.truth).toBeLessThanOrEqual(m.hidden(full.text)!.truth);
    const r = await m.chat({ messages: buildChatMessages(START, [], q), seed: 1 });
    expect(r.usage.completion_tokens).toBe(Math.ceil(text(r).length / 4));
  });

  it('rewrites prompts within the bullet limits, differently per sample', async () => {
    const w = getWorld('tune-a');
    const m = new SimWorldModel(w);
    const prompt = canonicalPrompt([0, 1, 2, 3, 4, 5, 23]);
    const evaluations: QueryEvaluation[] = [];
    for (const q of w.trainQueries.slice(0, 3)) {
      const aspects = await aspectsFor(m, q.text);
      const a = await answer(m, prompt, q.text, 1);
      const scores = parseJudgement(
        extractJson(text(await m.chat(judgeRequest(q.text, a.text, aspects, 1))))!,
        aspects,
      );
      if (typeof scores === 'string') throw new Error(scores);
      evaluations.push({
        queryId: q.id,
        query: q.text,
        answer: a.text,
        finishReason: a.finish_reason,
        aspects,
        scores,
        reward: 3,
      });
    }
    const r = await m.chat({
      messages: optimizerMessages({ prompt, history: [], evaluations, maxNewBullets: 2, maxBullets: 8 }),
      json: OPTIMIZER_SCHEMA,
      n: 4,
      seed: 9,
    });
    const prompts = r.choices.map((c) => {
      const out = parseOptimizer(extractJson(c.text)!, 99);
      if (typeof out === 'string') throw new Error(out);
      return out.prompt;
    });
    for (const p of prompts) {
      expect(countBullets(p)).toBeLessThanOrEqual(8);
      expect(p.startsWith('You are a helpful')).toBe(true);
    }
    expect(new Set(prompts).size).toBeGreaterThan(1);
  });

  it('rewrites a prompt with about zero expected gain, while the best of three gains', async () => {
    const w = getWorld('tune-a');
    const m = new SimWorldModel(w);
    const id = (name: string) => INSTRUCTIONS.findIndex((d) => d.id === name);
    // A typical mid-search prompt: two helpful bullets, a neutral one and an appealing one that hurts.
    const parent = canonicalPrompt([id('steps'), id('unsure'), id('plain-words'), id('more-help')]);
    const truth = (p: string) => w.truthOf({ systemPrompt: p, icl: [], examplesPerQuery: 0 });
    const base = await truth(parent);
    const single: number[] = [];
    const best: number[] = [];
    for (const q of w.trainQueries.slice(0, 30)) {
      // As in `paper`: the optimizer sees the review of one query and proposes three rewrites.
      const aspects = await aspectsFor(m, q.text);
      const a = await answer(m, parent, q.text, 1);
      const scores = parseJudgement(
        extractJson(text(await m.chat(judgeRequest(q.text, a.text, aspects, 1))))!,
        aspects,
      );
      if (typeof scores === 'string') throw new Error(scores);
      const evaluation = {
        queryId: q.id,
        query: q.text,
        answer: a.text,
        finishReason: 'stop',
        aspects,
        scores,
        reward: 3,
      };
      const r = await m.chat({
        messages: optimizerMessages({
          prompt: parent,
          history: [],
          evaluations: [evaluation],
          maxNewBullets: 2,
          maxBullets: 8,
        }),
        json: OPTIMIZER_SCHEMA,
        n: 3,
        seed: 2,
      });
      const gains: number[] = [];
      for (const c of r.choices) {
        const out = parseOptimizer(extractJson(c.text)!, 8);
        if (typeof out === 'string') throw new Error(out);
        gains.push((await truth(out.prompt)) - base);
      }
      single.push(...gains);
      best.push(Math.max(...gains));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean(single))).toBeLessThan(0.04);
    expect(mean(best)).toBeGreaterThan(0.04);
  });

  it('runs a quick search end to end and the result can be scored', async () => {
    const w = smallWorld();
    const m = new SimWorldModel(w);
    const result = await runDrpo(
      buildRunConfig('quick', {
        seed: 1,
        trainQueries: w.trainQueries,
        validationQueries: w.validationQueries,
        icl: w.examplePool,
      }),
      { models: { policy: m, aspect: m, judge: m, optimizer: m } },
      { runId: 'sim-quick' },
    );
    expect(result.status).toBe('completed');
    expect(result.stats.parseFailures).toBe(0);
    const artifact = result.artifact!;
    expect(artifact.systemPrompt).toBeTruthy();
    const gap = await w.gapClosed({ systemPrompt: artifact.systemPrompt, icl: artifact.icl, examplesPerQuery: 3 });
    expect(Number.isFinite(gap)).toBe(true);
  });
});

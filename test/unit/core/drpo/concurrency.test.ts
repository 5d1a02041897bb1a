import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { mapOrdered } from '../../../../src/core/calls/parallel';
import type { Admission } from '../../../../src/core/calls/budget-gate';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import type { ChatModel, ChatRequest } from '../../../../src/core/contracts/chat-model';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import { SYNTHETIC_QUERIES, themesShown } from '../../../fixtures/scripted-drpo-model';
import {
  collector,
  fakeClock,
  jittered,
  models,
  scripted,
  smallConfig,
  steered,
  everyStageConfig,
} from '../../../support/engine';

const config = everyStageConfig;

/**
 * Events without wall-clock data: 'usage' events report timings, and `at`, `createdAt` and elapsed
 * times are clock readings by nature. Everything else must be identical.
 */
function semantic(events: RunEvent[]): unknown[] {
  return events
    .filter((e) => e.type !== 'usage')
    .map((e) =>
      JSON.parse(JSON.stringify(e, (k, v: unknown) => (['at', 'createdAt', 'elapsedMs'].includes(k) ? 0 : v))),
    );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(concurrency: number, checkpoint?: RunCheckpoint) {
  const m = jittered(scripted());
  const { events, onEvent } = collector();
  const cps: RunCheckpoint[] = [];
  const r = await runDrpo(
    config(),
    { models: models(m), now: fakeClock(), concurrency },
    { runId: 'c', onEvent, checkpoint, onCheckpoint: (cp) => void cps.push(structuredClone(cp)) },
  );
  return { r, events, m, cps };
}

describe('concurrent calls', () => {
  it('give the same artifact, node ids, events and call cache at concurrency 1, 4 and 8', async () => {
    const one = await run(1);
    expect(one.m.maxInFlight).toBe(1);
    for (const c of [4, 8]) {
      const many = await run(c);
      expect(many.m.maxInFlight).toBeGreaterThan(1);
      expect({ ...many.r.artifact, createdAt: '' }).toEqual({ ...one.r.artifact, createdAt: '' });
      expect(many.r.nodes.map((n) => [n.id, n.prompt, n.reward])).toEqual(
        one.r.nodes.map((n) => [n.id, n.prompt, n.reward]),
      );
      expect(semantic(many.events)).toEqual(semantic(one.events));
      expect(Object.keys(many.cps.at(-1)!.calls).sort()).toEqual(Object.keys(one.cps.at(-1)!.calls).sort());
      expect(many.r.stats.calls).toBe(one.r.stats.calls);
    }
  });

  it('a resume under concurrency repeats no finished call', async () => {
    const full = await run(4);
    const mid = structuredClone(full.cps[Math.floor(full.cps.length / 2)]!);
    const done = Object.keys(mid.calls).length;
    const inner = scripted();
    const r = await runDrpo(
      config(),
      { models: models(jittered(inner)), now: fakeClock(), concurrency: 4 },
      { runId: 'c', checkpoint: mid },
    );
    expect({ ...r.artifact, createdAt: '' }).toEqual({ ...full.r.artifact, createdAt: '' });
    expect(r.stats.calls).toBe(full.r.stats.calls);
    // The checkpoint's calls are replayed, not counted again as calls from the cache.
    expect(r.stats.cachedCalls).toBe(full.r.stats.cachedCalls);
    // Exactly the calls the checkpoint did not hold reach the model: none is repeated.
    expect(done).toBeGreaterThan(0);
    expect(inner.calls.length).toBe(full.r.stats.calls - done);
  });

  it('a run that stops (failed) makes no call after it reported its end', async () => {
    const inner = scripted();
    let finished = false;
    let late = 0;
    // Slow calls, so the warm start of the final check still has calls waiting when the run fails.
    const slow = {
      ...inner,
      id: inner.id,
      engine: inner.engine,
      capabilities: inner.capabilities,
      chat: async (req: Parameters<typeof inner.chat>[0]) => {
        if (finished) late++;
        await new Promise((r) => setTimeout(r, 5));
        return inner.chat(req);
      },
    };
    const r = await runDrpo(
      config(),
      { models: models(slow), now: fakeClock(), concurrency: 4 },
      {
        runId: 'stop',
        onEvent: (e) => void (e.type === 'run-finished' && (finished = true)),
        // Fails at the first node of the search, while the warm start still has calls waiting.
        onCheckpoint: (cp) => {
          if (cp.nodes.length >= 1) throw new Error('The disk is not there.');
        },
      },
    );
    expect(r.status).toBe('failed');
    await new Promise((res) => setTimeout(res, 100));
    expect(late).toBe(0);
  });

  it('a checkpoint serialised a moment later holds only the calls its counters include', async () => {
    const full = await run(4);
    const stored: RunCheckpoint[] = [];
    let n = 0;
    await runDrpo(
      config(),
      { models: models(jittered(scripted())), now: fakeClock(), concurrency: 4 },
      {
        runId: 'c',
        // As the page's store and the CLI's writer do: an await (a transaction, a timer) before serialising.
        onCheckpoint: async (cp) => {
          await sleep(1 + (n++ % 4));
          stored.push(JSON.parse(JSON.stringify(cp)) as RunCheckpoint);
        },
      },
    );
    expect(stored.length).toBeGreaterThan(5);
    expect(stored.map((cp) => Object.keys(cp.calls).length)).toEqual(stored.map((cp) => cp.stats.calls));
    // Resumed from any of them, the run ends with the uninterrupted run's counters: no call goes uncounted.
    for (const cp of stored) {
      const inner = scripted();
      const r = await runDrpo(
        config(),
        { models: models(jittered(inner)), now: fakeClock(), concurrency: 4 },
        { runId: 'c', checkpoint: cp },
      );
      expect([r.stats.calls, r.stats.generatedTokens, r.stats.promptTokens]).toEqual([
        full.r.stats.calls,
        full.r.stats.generatedTokens,
        full.r.stats.promptTokens,
      ]);
      expect(inner.calls.length).toBe(full.r.stats.calls - cp.stats.calls);
    }
  });

  /**
   * A run at concurrency 4 whose aspect choices are slow (in flight when something else fails or ends), with
   * the policy or the optimizer failing as `fails` says (not an outage, so nothing aborts the other calls).
   * `answered` counts the calls the model answered, whenever they finished.
   */
  async function withSlowAspects(fails: (req: ChatRequest) => boolean, c = config(), inner: ChatModel = scripted()) {
    let answered = 0;
    const m: ChatModel = {
      id: inner.id,
      engine: inner.engine,
      capabilities: inner.capabilities,
      async chat(req) {
        if (req.json?.name === 'aspect_selection') await sleep(40);
        else if (fails(req))
          throw new AppError(ErrorName.ContextWindowExceeded, 'The prompt is longer than the model can read.');
        const res = await inner.chat(req);
        answered++;
        return res;
      },
    };
    let finished = false;
    const after: string[] = [];
    const r = await runDrpo(
      c,
      { models: models(m), now: fakeClock(), concurrency: 4 },
      {
        runId: 'late',
        onEvent: (e) => {
          if (finished) after.push(e.type);
          if (e.type === 'run-finished') finished = true;
        },
        onCheckpoint: () => undefined,
      },
    );
    await sleep(150);
    return { r, after, answered };
  }

  it('a failure while sibling calls are in flight: every call ends before the run does, and is counted', async () => {
    const initial = config().initialPrompt;
    // The policy fails on its first rewritten prompt, beside the aspect choice of the same query.
    const policy = await withSlowAspects((req) => {
      const system = req.messages[0];
      return !req.json && system?.role === 'system' && system.content !== initial;
    });
    // The optimizer fails while the level's aspect choices, asked for ahead of need, are in flight.
    const optimizer = await withSlowAspects((req) => req.json?.name === 'prompt_rewrite');
    for (const x of [policy, optimizer]) {
      expect(x.r.status).toBe('failed');
      expect(x.after).toEqual([]);
      expect(x.answered).toBe(x.r.stats.calls);
    }
  });

  it('a race that settles early leaves no aspect choice of its next round in flight', async () => {
    // 12 held out, 6 kept back, rounds of 2: nothing leads, so the race settles after 4 of its 6 questions
    // (its third round, which it might not need, is not asked for ahead).
    const c = smallConfig({
      settings: { validationSize: 12, validationCandidates: 1, raceBatch: 2, verdictQueries: 6 },
    });
    c.validationQueries = SYNTHETIC_QUERIES.slice(12, 24).map((q) => ({ ...q, id: `v-${q.id}` }));
    const judge = (answer: string) => (themesShown(answer).length ? 1 : 3);
    const x = await withSlowAspects(() => false, c, steered(scripted(), { judge }));
    expect(x.r.status).toBe('completed');
    expect(x.r.artifact?.scores).toMatchObject({ raceQueries: 4, keptBackQueries: 6 });
    expect(x.after).toEqual([]);
    expect(x.answered).toBe(x.r.stats.calls);
  });

  it('a race that settles early makes the same calls at concurrency 1 and 4 (none for a round it did not need)', async () => {
    const c = smallConfig({
      settings: { validationSize: 12, validationCandidates: 1, raceBatch: 2, verdictQueries: 6 },
    });
    c.validationQueries = SYNTHETIC_QUERIES.slice(12, 24).map((q) => ({ ...q, id: `v-${q.id}` }));
    const judge = (answer: string) => (themesShown(answer).length ? 1 : 3);
    const at = async (concurrency: number) => {
      const inner = scripted();
      const r = await runDrpo(
        c,
        { models: models(jittered(steered(inner, { judge }))), now: fakeClock(), concurrency },
        { runId: 'settled' },
      );
      return { r, keys: inner.calls.map((call) => call.key).sort() };
    };
    const one = await at(1);
    const four = await at(4);
    expect(one.r.artifact?.scores).toMatchObject({ raceQueries: 4, keptBackQueries: 6 });
    expect({ ...four.r.artifact, createdAt: '' }).toEqual({ ...one.r.artifact, createdAt: '' });
    expect(four.keys).toEqual(one.keys);
    expect(four.r.stats.calls).toBe(one.r.stats.calls);
    expect(four.r.stats.generatedTokens).toBe(one.r.stats.generatedTokens);
  });

  it('a call budget is never overshot by calls in flight', async () => {
    const inner = scripted();
    const c = config();
    c.budget = { maxCalls: 25 };
    const r = await runDrpo(c, { models: models(jittered(inner)), concurrency: 8 }, { runId: 'b' });
    expect(r.status).toBe('budget-exhausted');
    expect(r.stats.calls).toBeLessThanOrEqual(25);
    // Recorded honestly: every call that reached the model is counted, calls in flight at the stop included.
    expect(inner.calls.length).toBe(r.stats.calls);
  });
});

describe('the final check starts early with parallel calls', () => {
  /** Policy calls on validation queries made while the search was still running. */
  async function earlyValidationCalls(concurrency: number, budget = {}) {
    const validation = new Set(config().validationQueries.map((q) => q.text));
    let stage = '';
    let early = 0;
    const inner = scripted();
    const m = {
      ...jittered(inner),
      chat: async (req: Parameters<typeof inner.chat>[0]) => {
        const user = req.messages[req.messages.length - 1]!.content;
        if (!req.json && validation.has(user) && stage === 'search') early++;
        return inner.chat(req);
      },
    };
    const c = config();
    c.budget = budget;
    const r = await runDrpo(
      c,
      { models: models(m), concurrency },
      {
        runId: 'w',
        onEvent: (e: RunEvent) => void (e.type === 'stage-changed' && (stage = e.stage)),
      },
    );
    return { early, r };
  }

  it('scores the starting prompt on the validation queries while the search runs', async () => {
    expect((await earlyValidationCalls(4)).early).toBeGreaterThan(0);
    expect((await earlyValidationCalls(1)).early).toBe(0);
  });

  it('not under a call budget: every call goes to the search first', async () => {
    expect((await earlyValidationCalls(4, { maxCalls: 100_000 })).early).toBe(0);
  });
});

describe('mapOrdered', () => {
  it('commits in order whatever finishes first, and keeps limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const committed: number[] = [];
    const out = await mapOrdered(
      [5, 1, 4, 2, 3, 0],
      3,
      async (ms) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, ms));
        inFlight--;
        return ms * 10;
      },
      (r) => void committed.push(r),
    );
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(committed).toEqual(out);
    expect(most).toBe(3);
  });

  it('on a failure starts nothing new, waits for the calls in flight, and throws the earliest error', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const committed: number[] = [];
    const job = async (i: number) => {
      started.push(i);
      await new Promise((r) => setTimeout(r, i === 1 ? 1 : 5));
      if (i === 1 || i === 2) throw new Error(`job ${i}`);
      finished.push(i);
      return i;
    };
    await expect(mapOrdered([0, 1, 2, 3, 4, 5], 3, job, (r) => void committed.push(r))).rejects.toThrow('job 1');
    expect(started).toEqual([0, 1, 2]);
    expect(finished).toEqual([0]);
    expect(committed).toEqual([0]);
  });

  it('near a budget, starts a job only when its reservation fits, and runs one that never fits alone', async () => {
    // A budget of 12; each job may spend 3 and spends 2.
    let spent = 0;
    let reserved = 0;
    let inFlight = 0;
    const log: string[] = [];
    const admit: Admission<number> = {
      reserve: () => {
        if (spent + reserved + 3 > 12) return null;
        reserved += 3;
        return () => void (reserved -= 3);
      },
      alone: async (job) => {
        log.push(`alone beside ${inFlight}`);
        return job();
      },
    };
    const committed: number[] = [];
    await mapOrdered(
      [0, 1, 2, 3, 4, 5, 6],
      4,
      async (i) => {
        log.push(`start ${i} beside ${inFlight++}`);
        await new Promise((r) => setTimeout(r, 1 + 2 * i));
        spent += 2;
        inFlight--;
        return i;
      },
      (i) => void committed.push(i),
      admit,
    );
    expect(committed).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Jobs 0–3 reserve all 12. Job 4 waits until 0–2 are done (6 spent, 3 held by job 3); job 5 never fits
    // beside anything (8 spent, 3 held by job 4, then 10 spent): it runs alone, and so does job 6.
    expect(log).toEqual([
      'start 0 beside 0',
      'start 1 beside 1',
      'start 2 beside 2',
      'start 3 beside 3',
      'start 4 beside 1',
      'alone beside 0',
      'start 5 beside 0',
      'alone beside 0',
      'start 6 beside 0',
    ]);
  });
});

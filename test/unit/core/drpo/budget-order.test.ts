/**
 * Under a call or token budget, where the run stops must not depend on which concurrent call finished first:
 * at concurrency 4, whatever the timing, a budgeted run stops where a run at concurrency 1 stops.
 */
import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { mulberry32 } from '../../../../src/core/data/random';
import type { ChatModel, ChatRequest, ChatResult } from '../../../../src/core/contracts/chat-model';
import type { RunCheckpoint, RunResult } from '../../../../src/core/contracts/run-api';
import type { Budget, RunConfig } from '../../../../src/core/contracts/run-config';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import { SYNTHETIC_QUERIES } from '../../../fixtures/scripted-drpo-model';
import { collector, fakeClock, models, scripted, smallConfig } from '../../../support/engine';

/** Every concurrent stage: example polishing, levels of two queries, the final check. */
function config(budget: Budget): RunConfig {
  const c = smallConfig({
    icl: SYNTHETIC_QUERIES.slice(0, 4).map((q) => ({ query: q.text, answer: 'A short draft. I hope this helps.' })),
    settings: { iclRounds: 1, queriesPerLevel: 2, validationSize: 4, inferenceExampleOptions: [0, 2] },
    budget,
  });
  c.validationQueries = SYNTHETIC_QUERIES.slice(20, 26).map((q) => ({ ...q, id: `v-${q.id}` }));
  return c;
}

/**
 * Calls finish in an order drawn from `seed`: each waits a random number of microtasks (no timers, so a
 * run takes milliseconds), which scrambles the order in which concurrent calls finish.
 */
function scrambled(inner: ChatModel, seed: number): ChatModel {
  const rnd = mulberry32(seed);
  return {
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    async chat(req: ChatRequest): Promise<ChatResult> {
      for (let i = Math.floor(rnd() * 40); i > 0; i--) await Promise.resolve();
      return inner.chat(req);
    },
  };
}

/** What must not depend on timing: node ids, stats and events (without clock readings and usage). */
function outcome(r: RunResult, events: RunEvent[]) {
  const clockFree = (v: unknown) =>
    JSON.parse(
      JSON.stringify(v, (k, x: unknown) => (['at', 'createdAt', 'elapsedMs', 'savedAt'].includes(k) ? 0 : x)),
    ) as unknown;
  return {
    status: r.status,
    nodes: r.nodes.map((n) => n.id),
    stats: clockFree(r.stats),
    artifact: clockFree(r.artifact),
    // 'usage' and 'budget-warning' report the counters the moment a call finishes: timing data.
    events: events.filter((e) => e.type !== 'usage' && e.type !== 'budget-warning').map(clockFree),
  };
}

async function run(budget: Budget, concurrency: number, seed: number, checkpoint?: RunCheckpoint, multi = false) {
  const { events, onEvent } = collector();
  let last: RunCheckpoint | undefined;
  const r = await runDrpo(
    config(budget),
    {
      models: models(scrambled(scripted({ capabilities: { multipleChoices: multi } }), seed)),
      now: fakeClock(),
      concurrency,
    },
    { runId: 'b', onEvent, checkpoint, onCheckpoint: (cp) => void (last = cp) },
  );
  return { r, out: outcome(r, events), last: structuredClone(last!) };
}

describe('a budgeted run stops at the same point whatever the timing', () => {
  it('call budgets: concurrency 4 under two timings gives what concurrency 1 gives', async () => {
    for (let maxCalls = 20; maxCalls <= 110; maxCalls += 4) {
      const one = await run({ maxCalls }, 1, 1);
      for (const seed of [11, 12]) {
        const many = await run({ maxCalls }, 4, seed + maxCalls);
        expect(many.out, `maxCalls ${maxCalls}, timing ${seed}`).toEqual(one.out);
      }
    }
  }, 60_000);

  it('token budgets: concurrency 4 under two timings gives what concurrency 1 gives', async () => {
    for (let maxGeneratedTokens = 1500; maxGeneratedTokens <= 13_500; maxGeneratedTokens += 1500) {
      const one = await run({ maxGeneratedTokens }, 1, 1);
      for (const seed of [21, 22]) {
        const many = await run({ maxGeneratedTokens }, 4, seed + maxGeneratedTokens);
        expect(many.out, `maxGeneratedTokens ${maxGeneratedTokens}, timing ${seed}`).toEqual(one.out);
      }
    }
  }, 60_000);

  it('also when the optimizer writes its rewrites in one call (several choices)', async () => {
    for (const budget of [{ maxCalls: 33 }, { maxCalls: 57 }, { maxCalls: 85 }, { maxGeneratedTokens: 6000 }]) {
      const one = await run(budget, 1, 1, undefined, true);
      for (const seed of [41, 42]) {
        const many = await run(budget, 4, seed, undefined, true);
        expect(many.out, `${JSON.stringify(budget)}, timing ${seed}`).toEqual(one.out);
      }
    }
  }, 60_000);

  it('a resume with a raised budget builds on the same history and ends at the same point', async () => {
    for (const [first, raised] of [
      [31, 58],
      [46, 77],
    ] as const) {
      const base = await run({ maxCalls: first }, 1, 1);
      const resumedOne = await run({ maxCalls: raised }, 1, 2, structuredClone(base.last));
      const fresh = await run({ maxCalls: raised }, 1, 3);
      for (const seed of [31, 32]) {
        const stopped = await run({ maxCalls: first }, 4, seed);
        expect(Object.keys(stopped.last.calls).sort()).toEqual(Object.keys(base.last.calls).sort());
        const resumed = await run({ maxCalls: raised }, 4, seed + 100, structuredClone(stopped.last));
        expect(resumed.out, `${first} → ${raised}, timing ${seed}`).toEqual(resumedOne.out);
        // The same tree and calls as a run given the larger budget from the start.
        expect(resumed.out.nodes).toEqual(fresh.out.nodes);
        expect(resumed.r.stats.calls).toBe(fresh.r.stats.calls);
      }
    }
  }, 60_000);
});

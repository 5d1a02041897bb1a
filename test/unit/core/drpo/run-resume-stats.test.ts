/**
 * A resumed run replays the checkpoint's calls from its cache, and the checkpoint's counters already hold
 * them: the replay must not count them again as "from cache" (audit: a run resumed twice showed
 * "74 + 103 from cache / ~87"). Resumed once or twice, from any checkpoint, the final counters (calls, calls
 * from cache, tokens) equal those of one uninterrupted run, exactly when no call was in flight at the
 * checkpoint. Requests asked twice within the run (a genuine cache hit) still count, on either side of a resume.
 */
import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import type { ChatModel, ChatRequest } from '../../../../src/core/contracts/chat-model';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { RunEvent, RunStats } from '../../../../src/core/contracts/run-events';
import {
  fakeClock,
  jittered,
  models,
  scripted,
  steered,
  everyStageConfig,
  resumeCounts,
} from '../../../support/engine';

const config = everyStageConfig;

/**
 * Some answers are cut to their first sentence whatever the prompt: different prompts then give the same
 * answer to a question, and its judgement is asked for again word for word (a genuine cache hit).
 */
const repeating = () =>
  steered(scripted(), {
    policy: (answer) => {
      const first = answer.split('\n')[0]!.split('.')[0]!;
      return first.length % 2 ? `${first}.` : answer;
    },
  });

/** A model that counts its calls in flight, so a test knows which checkpoints were taken with none. */
function counted(inner: ChatModel): ChatModel & { inFlight: number } {
  const m = {
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    inFlight: 0,
    async chat(req: ChatRequest) {
      m.inFlight++;
      try {
        return await inner.chat(req);
      } finally {
        m.inFlight--;
      }
    },
  };
  return m;
}

const counts = resumeCounts;

interface Leg {
  status: string;
  stats: RunStats;
  /** Checkpoints written, each with whether a model call was in flight as it was taken. */
  cps: { cp: RunCheckpoint; idle: boolean }[];
  /** 'usage' events of calls served from the cache. */
  cachedEvents: number;
}

async function leg(opts: { from?: RunCheckpoint; stopAfterNodes?: number; concurrency?: number } = {}): Promise<Leg> {
  const concurrency = opts.concurrency ?? 1;
  const model = counted(concurrency > 1 ? jittered(repeating()) : repeating());
  const ctrl = new AbortController();
  const cps: Leg['cps'] = [];
  let nodes = 0;
  let cachedEvents = 0;
  const r = await runDrpo(
    config(),
    { models: models(model), now: fakeClock(), concurrency },
    {
      runId: 'resume-stats',
      signal: ctrl.signal,
      checkpoint: opts.from ? structuredClone(opts.from) : undefined,
      onEvent: (e: RunEvent) => {
        if (e.type === 'usage' && e.cached) cachedEvents++;
        if (e.type === 'node-evaluated' && e.node.validationReward === undefined && ++nodes === opts.stopAfterNodes)
          ctrl.abort();
      },
      onCheckpoint: (cp) =>
        void cps.push({ cp: JSON.parse(JSON.stringify(cp)) as RunCheckpoint, idle: !model.inFlight }),
    },
  );
  return { status: r.status, stats: r.stats, cps, cachedEvents };
}

describe('a resumed run counts every call once', () => {
  it('the uninterrupted run has requests asked twice (so genuine cache hits are part of what is compared)', async () => {
    const whole = await leg();
    expect(whole.status).toBe('completed');
    expect(whole.stats.cachedCalls).toBeGreaterThan(0);
    expect(whole.cachedEvents).toBe(whole.stats.cachedCalls);
  });

  it('stopped after N scored prompts (several N) and resumed: the same counters as one uninterrupted run', async () => {
    const whole = await leg();
    for (const n of [1, 2, 4, 7]) {
      const first = await leg({ stopAfterNodes: n });
      expect(first.status).toBe('cancelled');
      const last = await leg({ from: first.cps.at(-1)!.cp });
      expect(last.status).toBe('completed');
      expect(counts(last.stats), `stopped after ${n}`).toEqual(counts(whole.stats));
      // The page's "from cache" figure follows the 'usage' events: each genuine hit is announced once.
      expect(first.cachedEvents + last.cachedEvents, `stopped after ${n}`).toBe(whole.stats.cachedCalls);
    }
  });

  it('resumed from any checkpoint the uninterrupted run wrote (a closed tab): the same counters', async () => {
    const whole = await leg();
    expect(whole.cps.length).toBeGreaterThan(6);
    for (const [i, { cp }] of whole.cps.entries()) {
      const last = await leg({ from: cp });
      expect(counts(last.stats), `checkpoint ${i}`).toEqual(counts(whole.stats));
    }
  });

  it('stopped and resumed twice, then finished: the same counters', async () => {
    const whole = await leg();
    const first = await leg({ stopAfterNodes: 2 });
    const second = await leg({ from: first.cps.at(-1)!.cp, stopAfterNodes: 3 });
    expect(second.status).toBe('cancelled');
    expect(second.stats.cachedCalls).toBeLessThanOrEqual(whole.stats.cachedCalls);
    const last = await leg({ from: second.cps.at(-1)!.cp });
    expect(counts(last.stats)).toEqual(counts(whole.stats));
    expect(first.cachedEvents + second.cachedEvents + last.cachedEvents).toBe(whole.stats.cachedCalls);
  });

  it('with 4 calls at once, resumed (once and twice) from checkpoints taken with no call in flight: the same counters', async () => {
    const whole = await leg({ concurrency: 4 });
    expect(counts(whole.stats)).toEqual(counts((await leg()).stats));
    const idle = whole.cps.filter((c) => c.idle);
    expect(idle.length).toBeGreaterThan(3);
    for (const [i, { cp }] of idle.entries()) {
      const once = await leg({ from: cp, concurrency: 4 });
      expect(counts(once.stats), `idle checkpoint ${i}`).toEqual(counts(whole.stats));
    }
    const mid = idle[Math.floor(idle.length / 3)]!.cp;
    const second = await leg({ from: mid, concurrency: 4 });
    const later = second.cps.filter((c) => c.idle && c.cp.stats.calls > mid.stats.calls + 5).at(0);
    expect(later).toBeDefined();
    const twice = await leg({ from: later!.cp, concurrency: 4 });
    expect(counts(twice.stats)).toEqual(counts(whole.stats));
  });
});

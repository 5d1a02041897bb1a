/**
 * The evaluation as one job through the run's call pipeline: counters, resuming from a checkpoint without
 * repeating a call, retries of unreadable replies, and a report that does not depend on concurrency.
 */
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import { referenceCandidates } from '../../../../src/core/eval/report/compare';
import { runEvalJob, type EvalCheckpoint, type EvalJobSpec } from '../../../../src/core/eval/eval-job';
import { best, judge, policy, queries } from '../../../support/eval-models';
import { jittered, resumeCounts } from '../../../support/engine';

const spec: EvalJobSpec = {
  candidates: [best, ...referenceCandidates({ baseline: true })],
  queries,
  seed: 3,
  maxTokens: 256,
  pairwise: true,
};
/** 2 candidates × 4 queries: 8 answers, 8 judgements; pairwise on the 4 shared queries, both orders. */
const TOTAL_CALLS = 8 + 8 + 8;

describe('runEvalJob', () => {
  it('counts every call and hands out checkpoints', async () => {
    const p = policy();
    const j = judge();
    const checkpoints: EvalCheckpoint[] = [];
    const progress: { phase: string; done: number; total: number }[] = [];
    const { report, stats } = await runEvalJob(
      spec,
      { policy: p.model, judge: j.model, now: () => 0 },
      {
        checkpointEvery: 5,
        onCheckpoint: (cp) => void checkpoints.push(structuredClone(cp)),
        onProgress: (e) => progress.push(e.progress),
      },
    );
    expect(report.complete).toBe(true);
    expect(report.pairwise).toHaveLength(1);
    expect(p.requests.length + j.requests.length).toBe(TOTAL_CALLS);
    expect(stats.calls).toBe(TOTAL_CALLS);
    expect(stats.perRole.policy.calls).toBe(8);
    expect(stats.perRole.judge.calls).toBe(16);
    expect(checkpoints.map((c) => c.stats.calls)).toEqual([5, 10, 15, 20, TOTAL_CALLS]);
    expect(Object.keys(checkpoints.at(-1)!.calls)).toHaveLength(TOTAL_CALLS);
    expect(progress.find((e) => e.phase === 'judge' && e.done === e.total)).toBeTruthy();
    expect(progress.at(-1)).toMatchObject({ phase: 'pairwise', done: 8, total: 8 });
  });

  it('a call listener that throws (the CLI writing to a closed stderr) fails no call', async () => {
    let heard = 0;
    const { report, stats } = await runEvalJob(
      spec,
      { policy: policy().model, judge: judge().model, now: () => 0 },
      {
        onCall: () => {
          heard++;
          throw new Error('EPIPE');
        },
      },
    );
    expect(heard).toBeGreaterThan(0);
    expect(report.complete).toBe(true);
    expect(stats.calls).toBe(TOTAL_CALLS);
  });

  it('resumed from a checkpoint, repeats none of the finished calls and gives the same report', async () => {
    const first = await runEvalJob(spec, { policy: policy().model, judge: judge().model, now: () => 0 });
    let saved: EvalCheckpoint | null = null;
    const stop = new AbortController();
    const partial = await runEvalJob(
      spec,
      { policy: policy().model, judge: judge().model, now: () => 0 },
      {
        signal: stop.signal,
        checkpointEvery: 1,
        onCheckpoint: (cp) => {
          saved = structuredClone(cp);
          if (cp.stats.calls === 11) stop.abort();
        },
      },
    );
    expect(partial.report.complete).toBe(false);
    const p = policy();
    const j = judge();
    const resumed = await runEvalJob(spec, { policy: p.model, judge: j.model, now: () => 0 }, { checkpoint: saved! });
    expect(p.requests.length + j.requests.length).toBe(TOTAL_CALLS - 11);
    expect(resumed.stats.calls).toBe(TOTAL_CALLS);
    // The checkpoint's 11 calls are replayed, not counted again as calls from the cache.
    expect(resumed.stats.cachedCalls).toBe(first.stats.cachedCalls);
    expect(resumed.report).toEqual(first.report);
  });

  it('a checkpoint serialised a moment later holds only the calls its counters include', async () => {
    const first = await runEvalJob(spec, { policy: policy().model, judge: judge().model, now: () => 0 });
    const stored: EvalCheckpoint[] = [];
    let n = 0;
    await runEvalJob(
      spec,
      { policy: jittered(policy().model), judge: jittered(judge().model), concurrency: 4, now: () => 0 },
      {
        checkpointEvery: 3,
        // As the page's store does: an await (a transaction) before serialising.
        onCheckpoint: async (cp) => {
          await new Promise((r) => setTimeout(r, 1 + (n++ % 4)));
          stored.push(JSON.parse(JSON.stringify(cp)) as EvalCheckpoint);
        },
      },
    );
    expect(stored.length).toBeGreaterThan(3);
    expect(stored.map((cp) => Object.keys(cp.calls).length)).toEqual(stored.map((cp) => cp.stats.calls));
    for (const cp of stored) {
      const p = policy();
      const j = judge();
      const resumed = await runEvalJob(
        spec,
        { policy: jittered(p.model), judge: jittered(j.model), concurrency: 4, now: () => 0 },
        { checkpoint: cp },
      );
      expect(resumed.stats.calls).toBe(TOTAL_CALLS);
      expect(p.requests.length + j.requests.length).toBe(TOTAL_CALLS - cp.stats.calls);
      expect(resumed.report).toEqual(first.report);
    }
  });

  it('stopped at any checkpoint and resumed, once or twice: the same counters as one uninterrupted evaluation', async () => {
    // A copy of a candidate under another name asks every request again: genuine cache hits, on both sides.
    const twice: EvalJobSpec = { ...spec, candidates: [...spec.candidates, { ...best, label: 'Best again' }] };
    const counts = resumeCounts;
    /** One leg: stops once a checkpoint holds `stopAt` calls (if given); its checkpoints and cached-call events. */
    const leg = async (concurrency: number, from?: EvalCheckpoint, stopAt?: number) => {
      const cps: EvalCheckpoint[] = [];
      let cachedEvents = 0;
      const stop = new AbortController();
      const { stats } = await runEvalJob(
        twice,
        { policy: policy().model, judge: judge().model, concurrency, now: () => 0 },
        {
          signal: stop.signal,
          checkpoint: from ? structuredClone(from) : undefined,
          checkpointEvery: 1,
          onCall: (e) => {
            if (e.type === 'usage' && e.cached) cachedEvents++;
          },
          onCheckpoint: (cp) => {
            cps.push(JSON.parse(JSON.stringify(cp)) as EvalCheckpoint);
            if (cp.stats.calls === stopAt) stop.abort();
          },
        },
      ).catch(() => ({ stats: cps.at(-1)!.stats }));
      return { stats, cps, cachedEvents };
    };
    for (const concurrency of [1, 4]) {
      const whole = await leg(concurrency);
      expect(whole.stats.calls).toBe(TOTAL_CALLS);
      expect(whole.stats.cachedCalls).toBeGreaterThan(8);
      expect(whole.cachedEvents).toBe(whole.stats.cachedCalls);
      // Every checkpoint (a closed tab: what storage holds) and one at each stop (Stop, then Resume).
      for (const [i, cp] of whole.cps.entries()) {
        const resumed = await leg(concurrency, cp);
        expect(counts(resumed.stats), `concurrency ${concurrency}, checkpoint ${i}`).toEqual(counts(whole.stats));
      }
      for (const stopAt of [3, 9, 17]) {
        const first = await leg(concurrency, undefined, stopAt);
        const second = await leg(concurrency, first.cps.at(-1), stopAt + 3);
        const last = await leg(concurrency, second.cps.at(-1));
        expect(counts(last.stats), `concurrency ${concurrency}, stopped at ${stopAt}`).toEqual(counts(whole.stats));
        expect(first.cachedEvents + second.cachedEvents + last.cachedEvents).toBe(whole.stats.cachedCalls);
      }
    }
  });

  it('asks again after an unreadable reply, and the report does not depend on concurrency', async () => {
    const j = judge();
    let failures = 1;
    const flaky: ChatModel = {
      ...j.model,
      chat: async (req) => {
        if (failures-- > 0) throw new AppError(ErrorName.BadResponse, 'The endpoint sent something that is not JSON.');
        return j.model.chat(req);
      },
    };
    const one = await runEvalJob(spec, { policy: policy().model, judge: flaky, now: () => 0 });
    expect(one.stats.retries).toBe(1);
    expect(one.stats.endpointErrors).toEqual({ 'unreadable reply': 1 });
    const four = await runEvalJob(spec, { policy: policy().model, judge: judge().model, concurrency: 4, now: () => 0 });
    expect(four.report).toEqual(one.report);
  });
});

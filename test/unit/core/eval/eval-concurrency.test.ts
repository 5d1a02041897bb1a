/**
 * An evaluation over endpoints keeps them busy together: each row is judged as soon as it is answered (the
 * judge's endpoint does not wait for every answer), and pairwise judgements of all pairs, queries and both
 * orders run at once. Reports, progress counts and resumes do not depend on the concurrency or on which call
 * finished first.
 */
import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import type { Query } from '../../../../src/core/contracts/run-config';
import { mulberry32 } from '../../../../src/core/data/random';
import { referenceCandidates } from '../../../../src/core/eval/report/compare';
import { runEvalJob, type EvalCheckpoint, type EvalJobSpec } from '../../../../src/core/eval/eval-job';
import type { EvalProgress } from '../../../../src/core/eval/eval-types';
import { AnswerCache } from '../../../../src/core/eval/answers';
import { evaluateAlignments } from '../../../../src/core/eval/evaluate-alignments';
import { comparePairwise } from '../../../../src/core/eval/pairwise';
import { runPairwise } from '../../../../src/core/eval/run-pairwise';
import { AdaptiveGate } from '../../../../src/llm/openai/adaptive-gate';
import { best, judge, policy, queries as baseQueries, scripted } from '../../../support/eval-models';

/** 12 distinct queries (the 4 shared ones, three times over): regular, unsafe and unreadable judgements alike. */
const queries: Query[] = [0, 1, 2].flatMap((k) =>
  baseQueries.map((q) => ({ ...q, id: `${q.id}-${k}`, text: `${q.text} (${k})` })),
);
const candidates = [best, ...referenceCandidates({ baseline: true, noSystem: true })];

/** A model behind an endpoint's gate, with a random latency (seeded) and a count of calls in flight. */
function onEndpoint(inner: ChatModel, gate: AdaptiveGate, seed: number, maxMs = 6) {
  const rnd = mulberry32(seed);
  const m = {
    ...inner,
    inFlight: 0,
    most: 0,
    finished: 0,
    async chat(req: Parameters<ChatModel['chat']>[0]) {
      const release = await gate.acquire(req.signal);
      m.most = Math.max(m.most, ++m.inFlight);
      try {
        await new Promise((r) => setTimeout(r, Math.floor(rnd() * maxMs)));
        return await inner.chat(req);
      } finally {
        m.inFlight--;
        m.finished++;
        release();
      }
    },
  };
  return m;
}

function endpoints(seed: number) {
  const p = onEndpoint(policy().model, new AdaptiveGate(2), seed);
  const j = onEndpoint(judge().model, new AdaptiveGate(2), seed + 1);
  return { p, j };
}

describe('evaluation at concurrency > 1', () => {
  it('judges while the policy still has answers to write, and the report is the same at 1 and 4', async () => {
    const answers = candidates.length * queries.length;
    const { p, j } = endpoints(11);
    let judgedEarly = 0;
    const judgeChat = j.chat.bind(j);
    j.chat = async (req) => {
      if (p.finished < answers) judgedEarly++;
      return judgeChat(req);
    };
    const progress: EvalProgress[] = [];
    const opts = { candidates, queries, seed: 3, now: () => 0 };
    const four = await evaluateAlignments({
      ...opts,
      policy: p,
      judge: j,
      concurrency: 4,
      onProgress: (e) => progress.push(e),
    });
    // The judge's endpoint started calls before the policy's had written every answer.
    expect(judgedEarly).toBeGreaterThan(0);
    expect(j.most).toBe(2);
    expect(p.most).toBe(2);

    // Progress: every answer and every judgement counted once; the phase goes answer → judge, never back.
    expect(progress.at(-1)).toMatchObject({ phase: 'judge', done: 2 * answers, total: 2 * answers });
    expect(progress.map((e) => e.done)).toEqual([...progress.map((e) => e.done)].sort((a, b) => a - b));
    const phases = progress.map((e) => e.phase).filter((ph, i, all) => ph !== all[i - 1]);
    expect(phases).toEqual(['answer', 'judge']);

    for (const seed of [1, 2, 3]) {
      const one = endpoints(seed);
      const r1 = await evaluateAlignments({ ...opts, policy: one.p, judge: one.j, concurrency: 1 });
      expect(JSON.stringify(r1.report)).toBe(JSON.stringify(four.report));
      const again = endpoints(seed + 10);
      const r4 = await evaluateAlignments({ ...opts, policy: again.p, judge: again.j, concurrency: 4 });
      expect(JSON.stringify(r4.report)).toBe(JSON.stringify(four.report));
    }
  });

  it('a job stopped at any point and resumed at concurrency 4 repeats no call and gives the same report', async () => {
    const spec: EvalJobSpec = { candidates, queries: queries.slice(0, 6), seed: 3, pairwise: true };
    const plain = endpoints(5);
    const first = await runEvalJob(spec, { policy: plain.p, judge: plain.j, now: () => 0 });
    const total = first.stats.calls;
    for (const stopAt of [3, 11, 20, 33, total - 4]) {
      const e = endpoints(stopAt);
      let saved: EvalCheckpoint | null = null;
      const stop = new AbortController();
      await runEvalJob(
        spec,
        { policy: e.p, judge: e.j, concurrency: 4, now: () => 0 },
        {
          signal: stop.signal,
          checkpointEvery: 1,
          onCheckpoint: (cp) => {
            saved = structuredClone(cp);
            if (cp.stats.calls >= stopAt) stop.abort();
          },
        },
      );
      const cp = saved! as EvalCheckpoint;
      const kept = Object.keys(cp.calls).length;
      const r = endpoints(stopAt + 100);
      const resumed = await runEvalJob(
        spec,
        { policy: r.p, judge: r.j, concurrency: 4, now: () => 0 },
        { checkpoint: cp },
      );
      expect(JSON.stringify(resumed.report)).toBe(JSON.stringify(first.report));
      expect(r.p.finished + r.j.finished).toBe(total - kept);
      expect(resumed.stats.calls).toBe(total);
    }
  });
});

describe('pairwise at concurrency > 1', () => {
  const three = baseQueries.slice(0, 3);
  // Three alignments, no references: every pair is compared (3 pairs).
  const aligned = [best, { label: 'Other', systemPrompt: 'BEST, shorter' }, { label: 'Third', systemPrompt: 'Plain' }];

  async function answered() {
    const cache = new AnswerCache();
    // Each alignment's answers differ (identical requests in flight would be joined into one call).
    const echo = scripted('policy-1', (req) => {
      const sys = req.messages.find((m) => m.role === 'system')?.content ?? 'none';
      return `[${sys.startsWith('BEST') ? 'good' : 'plain'}] ${sys}: ${req.messages.at(-1)!.content}`;
    });
    const { report } = await evaluateAlignments({
      candidates: aligned,
      queries: three,
      policy: echo.model,
      judge: judge().model,
      cache,
      seed: 3,
      now: () => 0,
    });
    return { cache, report };
  }

  it('judges every query of a pair in both orders at once: 3 queries, 6 calls in flight', async () => {
    const { cache } = await answered();
    const j = onEndpoint(judge().model, new AdaptiveGate(8), 1);
    const slow = { ...j, chat: j.chat.bind(j) };
    const r8 = await comparePairwise({
      a: aligned[0]!,
      b: aligned[2]!,
      queries: three,
      cache,
      judge: slow,
      concurrency: 8,
      seed: 3,
    });
    expect(j.most).toBe(6);
    const r1 = await comparePairwise({
      a: aligned[0]!,
      b: aligned[2]!,
      queries: three,
      cache,
      judge: judge().model,
      seed: 3,
    });
    expect(JSON.stringify(r8)).toBe(JSON.stringify(r1));
  });

  it('runs the pairs together, and the report is the one judged one call at a time', async () => {
    const { report } = await answered();
    const sequential = await runPairwise({ report, judge: judge().model });
    expect(sequential.pairwise).toHaveLength(3);
    for (const seed of [1, 2, 3]) {
      const j = onEndpoint(judge().model, new AdaptiveGate(32), seed);
      const progress: EvalProgress[] = [];
      const wide = await runPairwise({ report, judge: j, concurrency: 32, onProgress: (e) => progress.push(e) });
      // 3 pairs × 3 queries × 2 orders, all at once.
      expect(j.most).toBe(18);
      expect(JSON.stringify(wide)).toBe(JSON.stringify(sequential));
      expect(progress.at(-1)).toMatchObject({ phase: 'pairwise', done: 18, total: 18 });
    }
  });

  it('stopped, keeps the pairs compared on every shared query and says the report is not complete', async () => {
    const { report } = await answered();
    const stop = new AbortController();
    const j = onEndpoint(judge().model, new AdaptiveGate(2), 9);
    const partial = await runPairwise({
      report,
      judge: j,
      concurrency: 2,
      signal: stop.signal,
      // Stopped once the first pair's 3 queries are judged in both orders.
      onProgress: (e) => {
        if (e.done >= 6) stop.abort();
      },
    });
    const sequential = await runPairwise({ report, judge: judge().model });
    expect(partial.complete).toBe(false);
    expect(partial.pairwise.length).toBeGreaterThan(0);
    expect(partial.pairwise.length).toBeLessThan(3);
    expect(partial.pairwise).toEqual(sequential.pairwise.slice(0, partial.pairwise.length));
  });
});

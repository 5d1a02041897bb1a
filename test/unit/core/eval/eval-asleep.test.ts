/**
 * An evaluation the computer slept through (the lid closed for an hour): its elapsed time and a Minutes budget count
 * the time it could work, as a run's do (core/drpo/run-asleep.test.ts). A hand-moved clock: calls take a second
 * each, and one of them spans the hour's sleep.
 */
import { describe, expect, it } from 'vitest';
import { AwakeClock } from '../../../../src/core/calls/awake-clock';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { evalGateway } from '../../../../src/core/eval/eval-calls';
import { runEvalJob, type EvalCheckpoint, type EvalJobSpec } from '../../../../src/core/eval/eval-job';
import { referenceCandidates } from '../../../../src/core/eval/report/compare';
import { best, judge, policy, queries } from '../../../support/eval-models';

const HOUR = 60 * 60_000;
const spec: EvalJobSpec = { candidates: [best, ...referenceCandidates({ baseline: true })], queries, seed: 3 };

/** Every model call moves the clock on by a second; call number `sleepAt` also by an hour (the lid closed). */
function sleepy(sleepAt: number | null) {
  const clock = { t: 1_700_000_000_000, calls: 0 };
  const slow = (model: ChatModel): ChatModel =>
    Object.assign(Object.create(model) as ChatModel, {
      chat: async (...args: Parameters<ChatModel['chat']>) => {
        clock.t += 1_000;
        if (++clock.calls === sleepAt) clock.t += HOUR;
        return model.chat(...args);
      },
    });
  return { policy: slow(policy().model), judge: slow(judge().model), now: () => clock.t };
}

describe('an evaluation the computer slept through', () => {
  it('does not count the sleep in its elapsed time', async () => {
    const awake = await runEvalJob(spec, sleepy(null));
    const slept = await runEvalJob(spec, sleepy(5));
    expect(slept.report.complete).toBe(true);
    expect(slept.stats.calls).toBe(awake.stats.calls);
    expect(awake.stats.elapsedMs).toBeGreaterThan(0);
    // The call that spanned the sleep counts the one heartbeat that was due, no more.
    expect(slept.stats.elapsedMs).toBeLessThan(awake.stats.elapsedMs + 2_000);
  });

  it('resumed, adds its awake time to the checkpoint elapsed time', async () => {
    const checkpoint: EvalCheckpoint = {
      calls: {},
      stats: { ...(await runEvalJob(spec, sleepy(null))).stats, elapsedMs: 60_000 },
      progress: null,
    };
    const awake = await runEvalJob(spec, sleepy(null));
    const r = await runEvalJob(spec, sleepy(5), { checkpoint });
    expect(r.stats.elapsedMs).toBeGreaterThanOrEqual(60_000 + awake.stats.elapsedMs);
    expect(r.stats.elapsedMs).toBeLessThan(60_000 + awake.stats.elapsedMs + 2_000);
  });

  it('is not stopped by a Minutes budget on waking, and still stops at one its awake time reaches', async () => {
    const ask = async (maxWallMs: number) => {
      const m = sleepy(1);
      const gateway = evalGateway({ ...m, budget: { maxWallMs }, clock: new AwakeClock(m.now) });
      const req = (n: number) => ({ messages: [{ role: 'user' as const, content: `q${n}` }] });
      for (let n = 0; n < 5; n++) await gateway.call('policy', req(n));
    };
    await expect(ask(60_000)).resolves.toBeUndefined();
    await expect(ask(3_000)).rejects.toMatchObject({ name: ErrorName.Budget });
  });
});

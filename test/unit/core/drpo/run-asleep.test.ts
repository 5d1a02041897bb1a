/**
 * A run the computer slept through (the lid closed for an hour, the page frozen): its elapsed time, the time per
 * call behind "Time left" and its Minutes budget count the time it could work, not the sleep. Event times stay on
 * the real clock. A hand-moved clock: calls take a second each, and one of them spans the hour's sleep.
 */
import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import { models, scripted, smallConfig } from '../../../support/engine';

const HOUR = 60 * 60_000;

/** Every model call moves the clock on by a second; call number `sleepAt` also by an hour (the lid closed). */
function sleepy(model: ChatModel, sleepAt: number | null) {
  const clock = { t: 1_700_000_000_000, calls: 0 };
  const slow: ChatModel = Object.assign(Object.create(model) as ChatModel, {
    chat: async (...args: Parameters<ChatModel['chat']>) => {
      clock.t += 1_000;
      if (++clock.calls === sleepAt) clock.t += HOUR;
      return model.chat(...args);
    },
  });
  return { slow, now: () => clock.t };
}

async function run(sleepAt: number | null, maxWallMs?: number) {
  const { slow, now } = sleepy(scripted(), sleepAt);
  const events: RunEvent[] = [];
  const r = await runDrpo(
    smallConfig(maxWallMs === undefined ? {} : { budget: { maxWallMs } }),
    { models: models(slow), now },
    { runId: 'z', onEvent: (e) => void events.push(e) },
  );
  return { r, events };
}

describe('a run the computer slept through', () => {
  it('does not count the sleep in its elapsed time; its event times stay real', async () => {
    const awake = await run(null);
    const slept = await run(10);
    expect(slept.r.status).toBe('completed');
    expect(slept.r.stats.calls).toBe(awake.r.stats.calls);
    // The call that spanned the sleep counts the one heartbeat that was due, no more.
    expect(slept.r.stats.elapsedMs).toBeLessThan(awake.r.stats.elapsedMs + 2_000);
    const span = (e: RunEvent[]) => e[e.length - 1]!.at - e[0]!.at;
    expect(span(slept.events) - span(awake.events)).toBe(HOUR);
  });

  it('is not stopped by a Minutes budget on waking', async () => {
    const awake = await run(null);
    const budget = awake.r.stats.elapsedMs + 60_000;
    const slept = await run(10, budget);
    expect(slept.r.status).toBe('completed');
    expect(slept.r.artifact!.systemPrompt).toBe(awake.r.artifact!.systemPrompt);
  });

  it('still stops at a Minutes budget its awake time reaches', async () => {
    const r = await run(10, 20_000);
    expect(r.r.status).toBe('budget-exhausted');
    expect(r.r.stats.elapsedMs).toBeGreaterThanOrEqual(20_000);
    expect(r.r.stats.elapsedMs).toBeLessThan(HOUR);
  });
});

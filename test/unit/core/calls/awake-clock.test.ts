/**
 * The awake-time clock behind a run's elapsed time, time left and Minutes budget, on a hand-moved clock: a gap
 * in which no heartbeat could fire (the lid closed, the page frozen) is sleep and left out; anything else counts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ASLEEP_MS, AwakeClock, HEARTBEAT_MS } from '../../../../src/core/calls/awake-clock';

function at(t = 1_700_000_000_000, base = 0) {
  const clock = { t };
  return { clock, awake: new AwakeClock(() => clock.t, base) };
}

/** The heartbeat beating for `ms` of awake time. */
function beats(clock: { t: number }, awake: AwakeClock, ms: number): void {
  for (let i = 0; i < ms / HEARTBEAT_MS; i++) {
    clock.t += HEARTBEAT_MS;
    awake.note();
  }
}

describe('AwakeClock', () => {
  afterEach(() => vi.useRealTimers());

  it('counts awake time in full, a long call beside the heartbeat included', () => {
    const { clock, awake } = at();
    beats(clock, awake, 20 * 60_000);
    expect(awake.elapsedMs()).toBe(20 * 60_000);
    expect(awake.asleepMs).toBe(0);
  });

  it('leaves out an hour the computer slept: only the beat that was due counts', () => {
    const { clock, awake } = at();
    beats(clock, awake, 5_000);
    clock.t += 60 * 60_000;
    expect(awake.elapsedMs()).toBe(5_000 + HEARTBEAT_MS);
    beats(clock, awake, 3_000);
    expect(awake.elapsedMs()).toBe(9_000);
  });

  it('counts a late beat that is timer jitter, not sleep', () => {
    const { clock, awake } = at();
    clock.t += ASLEEP_MS;
    expect(awake.elapsedMs()).toBe(ASLEEP_MS);
  });

  it('adds the time a resumed run had already counted, and never runs backwards', () => {
    const { clock, awake } = at(0, 90_000);
    clock.t += 2_000;
    expect(awake.elapsedMs()).toBe(92_000);
    clock.t -= 1_500;
    expect(awake.elapsedMs()).toBe(92_000);
  });

  it('beats on a timer until stopped', () => {
    vi.useFakeTimers();
    const awake = new AwakeClock(() => Date.now());
    const stop = awake.beat();
    vi.advanceTimersByTime(40_000);
    expect(awake.elapsedMs()).toBe(40_000);
    expect(awake.asleepMs).toBe(0);
    stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

/**
 * The Live view's Elapsed and Time left between two events of a run leave out a sleep the page saw (no tick of
 * its one-second ticker for an hour), as the run's own clock does; a hidden tab's slowed timers are no sleep.
 */
import { describe, expect, it } from 'vitest';
import { AwakeSince } from '../../../src/ui/view-models/run/awake-since';
import { applyEvents, createRunViewModel, liveElapsedMs } from '../../../src/ui/view-models/run/run-view-model';
import type { RunEvent, RunStats } from '../../../src/core/contracts/run-events';

const HOUR = 60 * 60_000;
const role = { calls: 0, promptTokens: 0, generatedTokens: 0 };
const stats: RunStats = {
  calls: 5,
  promptTokens: 0,
  generatedTokens: 50,
  perRole: { policy: role, aspect: role, judge: role, optimizer: role },
  elapsedMs: 30_000,
  parseFailures: 0,
  cachedCalls: 0,
};

function live() {
  const clock = { t: 1_000_000 };
  const events = [
    { type: 'run-started', projection: { calls: 100 }, preset: 'quick', resumed: false },
    { type: 'usage', role: 'policy', usage: {}, cached: false, stats },
  ].map((e) => ({ runId: 'r', at: clock.t, ...e })) as RunEvent[];
  const vm = applyEvents(createRunViewModel('r'), events);
  const awake = new AwakeSince(() => clock.t);
  /** Renders once a second (the ticker) for `ms`; the elapsed time the last render shows. */
  const ticks = (ms: number, visible = true) => {
    let shown = 0;
    for (let i = 0; i < ms / 1_000; i++) {
      clock.t += 1_000;
      shown = liveElapsedMs(vm, awake.at(vm.clockAt!, visible));
    }
    return shown;
  };
  return { clock, vm, awake, ticks };
}

describe('the Live view between two events of a run', () => {
  it('moves Elapsed on with the clock while the page ticks', () => {
    const { vm, awake, ticks } = live();
    expect(liveElapsedMs(vm, awake.at(vm.clockAt!, true))).toBe(30_000);
    expect(ticks(20_000)).toBe(50_000);
  });

  it('leaves out an hour the laptop slept: only the tick that was due counts', () => {
    const { clock, vm, awake, ticks } = live();
    ticks(5_000);
    clock.t += HOUR;
    expect(liveElapsedMs(vm, awake.at(vm.clockAt!, true))).toBe(36_000);
    expect(ticks(4_000)).toBe(40_000);
  });

  it('counts the time a hidden tab ticked slowly in full', () => {
    const { clock, vm, awake, ticks } = live();
    ticks(5_000);
    for (let i = 0; i < 5; i++) {
      clock.t += 60_000;
      awake.at(vm.clockAt!, false);
    }
    expect(ticks(1_000, true)).toBe(30_000 + 5_000 + 5 * 60_000 + 1_000);
  });
});

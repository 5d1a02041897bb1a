/**
 * Waits and clocks are worked out from the clock at each render, not kept as snapshots: a retry counts down
 * and goes once it is due (then a silence is measured from when it went out), an outage's length counts up,
 * the elapsed time counts while the run goes, and the time left never stands still during a wait.
 */
import { describe, expect, it } from 'vitest';
import { retryAsOf } from '../../../src/core/calls/fault-summary';
import type { TimedRetry } from '../../../src/core/calls/fault-summary';
import { WaitClock, currentWait, retrySent, timedRetry } from '../../../src/ui/view-models/run/waiting';
import type { WaitState } from '../../../src/ui/view-models/run/waiting';
import {
  applyEvents,
  createRunViewModel,
  liveElapsedMs,
  restarted,
  timeLeft,
  withStatus,
} from '../../../src/ui/view-models/run/run-view-model';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { emptyStats } from '../../support/live-fixtures';

const T = 1_700_000_000_000;
const http429: TimedRetry = {
  error: { name: 'ServerError', message: 'x', status: 429 },
  attempt: 1,
  attempts: 4,
  retryInMs: 6000,
  at: T,
};
const outage: TimedRetry = {
  error: { name: 'NetworkError', message: 'x' },
  attempt: 4,
  attempts: 4,
  retryInMs: 2100,
  outage: { since: T - 3400, downForMs: 3400, graceMs: 60_000, retry: 4 },
  at: T,
};

describe('a retry as of now', () => {
  it('counts down, and is gone once it is due', () => {
    expect(retryAsOf(http429, T)!.retryInMs).toBe(6000);
    expect(retryAsOf(http429, T + 2500)!.retryInMs).toBe(3500);
    expect(retryAsOf(http429, T + 5999)!.retryInMs).toBe(1);
    expect(retryAsOf(http429, T + 6000)).toBeNull();
    expect(retryAsOf(http429, T + 26_000)).toBeNull();
  });

  it("moves an outage's length on with it", () => {
    const later = retryAsOf(outage, T + 1000)!;
    expect(later.outage!.downForMs).toBe(4400);
    expect(later.retryInMs).toBe(1100);
    expect(retryAsOf(outage, T + 2100)).toBeNull();
  });
});

describe('currentWait', () => {
  const running = (retry: TimedRetry | null, heardAt: number | null = T) => ({
    running: true,
    retry,
    heardAt,
  });

  it('counts an outage note on while nothing arrives, word by word', () => {
    expect(currentWait(running(outage), T)!.text).toBe(
      'Waiting: the endpoint has been down for 3.4 s (network); it gets up to 1 min to come back (retry 4, next in 2.1 s).',
    );
    expect(currentWait(running(outage), T + 1000)!.text).toBe(
      'Waiting: the endpoint has been down for 4.4 s (network); it gets up to 1 min to come back (retry 4, next in 1.1 s).',
    );
  });

  it('drops the retry note once the retry went out; a silence is then measured from when it went out', () => {
    expect(currentWait(running(http429), T + 3000)).toEqual({
      kind: 'retry',
      text: 'Waiting: the endpoint answered HTTP 429; retry 1 of 3 in 3 s.',
    });
    expect(retrySent(running(http429), T + 3000)).toBe(false);
    // Sent at T + 6 s: no note, and no silence yet (it was heard from 6 s ago when the retry was announced).
    expect(currentWait(running(http429), T + 6000)).toBeNull();
    expect(retrySent(running(http429), T + 6000)).toBe(true);
    expect(currentWait(running(http429), T + 15_999)).toBeNull();
    expect(currentWait(running(http429), T + 26_000)).toEqual({
      kind: 'silent',
      text: 'No reply for 20 s: waiting for the model…',
    });
  });

  it('says nothing for a job not running, nor for one heard from just now', () => {
    expect(currentWait({ running: false, retry: http429, heardAt: T }, T)).toBeNull();
    expect(currentWait(running(null, null), T + 60_000)).toBeNull();
  });
});

describe('timedRetry: a retry reported again with each update of the whole state', () => {
  const { at: _, ...facts } = http429;

  it('keeps the time it was first heard while the same retry comes again, so its note counts down', () => {
    const first = timedRetry(null, facts, T);
    expect(first).toEqual({ ...facts, at: T });
    const again = timedRetry(first, structuredClone(facts), T + 2500);
    expect(again.at).toBe(T);
    expect(currentWait({ running: true, retry: again, heardAt: T }, T + 2500)!.text).toBe(
      'Waiting: the endpoint answered HTTP 429; retry 1 of 3 in 3.5 s.',
    );
  });

  it('times a new retry (the next attempt, another outage length) from when it is heard', () => {
    const first = timedRetry(null, facts, T);
    expect(timedRetry(first, { ...facts, attempt: 2 }, T + 7000).at).toBe(T + 7000);
    const { at: __, ...down } = outage;
    const later = { ...down, outage: { ...down.outage!, downForMs: 9000 } };
    expect(timedRetry(timedRetry(null, down, T), later, T + 5000).at).toBe(T + 5000);
  });
});

describe("the run's clocks", () => {
  const ev = (e: Record<string, unknown>, at: number) => ({ runId: 'r', ...e, at }) as RunEvent;
  const started = (at: number) => ev({ type: 'run-started', projection: null, preset: 'quick', resumed: false }, at);
  const usage = (at: number, calls: number, elapsedMs: number) =>
    ev({ type: 'usage', role: 'judge', usage: {}, cached: false, stats: { ...emptyStats(), calls, elapsedMs } }, at);

  it('the elapsed time counts while the run goes, from its last stats, and stops when it stops', () => {
    let vm = applyEvents(createRunViewModel('r'), [started(T), usage(T + 1000, 1, 1000)]);
    // A 16 s call: nothing arrives, the elapsed time still goes on.
    expect(liveElapsedMs(vm, T + 1000)).toBe(1000);
    expect(liveElapsedMs(vm, T + 17_000)).toBe(17_000);
    vm = withStatus(vm, 'paused');
    expect(liveElapsedMs(vm, T + 60_000)).toBe(1000);
    // Resumed a minute later: the pause does not count.
    vm = applyEvents(vm, [started(T + 61_000)]);
    expect(liveElapsedMs(vm, T + 63_000)).toBe(3000);
  });

  it('the time left counts down from the last finished call, and is not shown for a paused run', () => {
    const vm = applyEvents(createRunViewModel('r'), [
      ev(
        {
          type: 'run-started',
          projection: { calls: 10, promptTokens: 0, generatedTokens: 0, perRole: emptyStats().perRole },
          preset: 'quick',
          resumed: false,
        },
        T,
      ),
      usage(T + 2000, 2, 2000),
    ]);
    expect(timeLeft(vm)!.likely).toBe(8000);
    expect(timeLeft(vm, null, T + 5000)!.likely).toBe(5000);
    expect(timeLeft(vm, null, T + 60_000)!.likely).toBe(0);
    expect(timeLeft(withStatus(vm, 'paused'))).toBeNull();
  });

  it('a restart from the page starts the silence over and forgets the last session’s retry', () => {
    const vm = applyEvents(createRunViewModel('r'), [
      started(T),
      ev({ type: 'call-retry', role: 'judge', ...http429 }, T + 1000),
      ev({ type: 'error', error: { name: 'NetworkError', message: 'down' } }, T + 2000),
    ]);
    expect(vm.heardAt).toBe(T + 2000);
    expect(vm.retry).toMatchObject({ retryInMs: 6000, at: T + 1000 });
    const again = restarted(vm, T + 26_000);
    expect(again.heardAt).toBe(T + 26_000);
    expect(again.retry).toBeNull();
    expect(currentWait({ running: true, retry: again.retry, heardAt: again.heardAt }, T + 26_500)).toBeNull();
  });
});

describe('a wait across a sleep (the lid closed)', () => {
  const HOUR = 60 * 60_000;
  /** The host re-renders once a second (its ticker): each render reads the wait. */
  function page(state: WaitState) {
    const clock = { t: state.heardAt ?? T };
    const waits = new WaitClock(() => clock.t);
    const render = (visible = true) => currentWait(state, waits.at(state, visible));
    const ticks = (ms: number, visible = true) => {
      let shown = render(visible);
      for (let i = 0; i < ms / 1_000; i++) {
        clock.t += 1_000;
        shown = render(visible);
      }
      return shown;
    };
    return { clock, render, ticks };
  }

  it('says how long the model has been silent in awake time, not "No reply for 1 h"', () => {
    const { clock, render, ticks } = page({ running: true, retry: null, heardAt: T });
    expect(ticks(12_000)?.text).toBe('No reply for 12 s: waiting for the model…');
    clock.t += HOUR;
    // The one tick that was due counts, the hour asleep does not.
    expect(render()?.text).toBe('No reply for 13 s: waiting for the model…');
    expect(ticks(2_000)?.text).toBe('No reply for 15 s: waiting for the model…');
  });

  it("counts an outage's length and its retry countdown in awake time", () => {
    const { clock, render, ticks } = page({ running: true, retry: outage, heardAt: T });
    ticks(1_000);
    clock.t += HOUR;
    expect(render()?.text).toBe(
      'Waiting: the endpoint has been down for 5.4 s (network); it gets up to 1 min to come back (retry 4, next in 0.1 s).',
    );
  });

  it('counts the time a hidden tab ticked slowly in full (timers slowed, no sleep)', () => {
    const { clock, render, ticks } = page({ running: true, retry: null, heardAt: T });
    ticks(2_000);
    for (let i = 0; i < 3; i++) {
      clock.t += 60_000;
      render(false);
    }
    expect(render()?.text).toBe('No reply for 3 min 2 s: waiting for the model…');
  });

  it('watches for sleep afresh from each thing heard', () => {
    const state: WaitState = { running: true, retry: null, heardAt: T };
    const { clock, render, ticks } = page(state);
    ticks(5_000);
    clock.t += HOUR;
    render();
    // Heard from on waking: the silence is measured from then, in real time as it goes on.
    state.heardAt = clock.t;
    expect(ticks(11_000)?.text).toBe('No reply for 11 s: waiting for the model…');
  });
});

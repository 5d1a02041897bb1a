/**
 * An outage the computer slept through (the lid closed, the page frozen): the outage wait counts awake time, so
 * the first probe after waking is no reason to give up. OutageWatch on a hand-moved clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import { OutageWatch } from '../../../../src/llm/openai/outage-watch';

const GRACE = 60_000;
const gone = () => new AppError(ErrorName.Network, 'The endpoint could not be reached.');
const delayFor = () => 2_000;

/**
 * Awake time: the clock and the timers move together, a second at a time (the outage's heartbeat beats, as it
 * does while a probe is out). Needs fake timers.
 */
async function awake(clock: { t: number }, ms: number) {
  for (let t = 0; t < ms; t += 1_000) {
    clock.t += 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
  }
}

function watchAt() {
  const clock = { t: 1_000_000 };
  const watch = new OutageWatch(GRACE, () => clock.t);
  // The endpoint answered a chat this session: its outages are waited out.
  watch.heard(true, false, true);
  return { clock, watch };
}

describe('an outage the computer slept through', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is still waited for after waking: the sleep is not counted against the outage wait', async () => {
    const { clock, watch } = watchAt();
    const first = watch.failed(gone(), { probe: false, answersBefore: undefined, delayFor });
    expect(first).toMatchObject({ retryInMs: 2_000 });
    // The lid closes for ten minutes; on waking, the waiting request probes (the wake-up timer was long due).
    clock.t += 10 * 60_000;
    expect(await watch.turn()).toBe('probe');
    clock.t += 500;
    // The Wi-Fi is not back yet: that probe fails too, after 2.5 s of awake outage.
    const after = watch.failed(gone(), { probe: true, answersBefore: watch.answers, delayFor });
    expect(after).not.toBe('expired');
    expect(after).toMatchObject({ outage: { downForMs: 2_500, graceMs: GRACE } });
  });

  it('still gives up once the awake outage outlasts the wait', async () => {
    vi.useFakeTimers();
    const { clock, watch } = watchAt();
    watch.failed(gone(), { probe: false, answersBefore: undefined, delayFor });
    clock.t += 10 * 60_000;
    expect(await watch.turn()).toBe('probe');
    // Awake and down for longer than the grace (the probe out all along): the outage is over.
    await awake(clock, GRACE + 1_000);
    expect(watch.failed(gone(), { probe: true, answersBefore: watch.answers, delayFor })).toBe('expired');
    expect(watch.expired).toMatchObject({ downForMs: GRACE + 3_000 });
  });

  it('counts a probe that is late by timer jitter only (awake) against the wait', async () => {
    vi.useFakeTimers();
    const { clock, watch } = watchAt();
    watch.failed(gone(), { probe: false, answersBefore: undefined, delayFor });
    clock.t += 2_000 + 5_000;
    expect(await watch.turn()).toBe('probe');
    await awake(clock, GRACE);
    expect(watch.failed(gone(), { probe: true, answersBefore: watch.answers, delayFor })).toBe('expired');
  });

  it('does not count a sleep that falls while a probe is out', async () => {
    vi.useFakeTimers();
    const { clock, watch } = watchAt();
    watch.failed(gone(), { probe: false, answersBefore: undefined, delayFor });
    const waiting = watch.turn();
    // Awake: the heartbeat beats while the request waits for its probe, which goes out on time.
    await awake(clock, 2_000);
    expect(await waiting).toBe('probe');
    // The lid closes for ten minutes while the probe is out (no timer fires); it fails on waking.
    clock.t += 10 * 60_000;
    const after = watch.failed(gone(), { probe: true, answersBefore: watch.answers, delayFor });
    expect(after).not.toBe('expired');
    // Two seconds awake before the probe, one beat due during it: the ten minutes asleep are left out.
    expect(after).toMatchObject({ outage: { downForMs: 3_000, graceMs: GRACE } });
    // Awake again: the wait still runs out after a minute of outage.
    const next = watch.turn();
    await awake(clock, 2_000);
    expect(await next).toBe('probe');
    await awake(clock, GRACE);
    expect(watch.failed(gone(), { probe: true, answersBefore: watch.answers, delayFor })).toBe('expired');
    expect(watch.expired).toMatchObject({ downForMs: 3_000 + 2_000 + GRACE });
  });

  it("does not count a sleep while the outage's first probe is out, sent before the heartbeat beat once", async () => {
    vi.useFakeTimers();
    const { clock, watch } = watchAt();
    // The first probe's backoff is under a second (a 500 ms base): it goes out before the heartbeat's first beat.
    const soon = () => 500;
    watch.failed(gone(), { probe: false, answersBefore: undefined, delayFor: soon });
    const waiting = watch.turn();
    clock.t += 500;
    await vi.advanceTimersByTimeAsync(500);
    expect(await waiting).toBe('probe');
    // The lid closes for ten minutes at once, while that probe is out; it fails on waking.
    clock.t += 10 * 60_000;
    const after = watch.failed(gone(), { probe: true, answersBefore: watch.answers, delayFor: soon });
    expect(after).not.toBe('expired');
    // Half a second awake before the probe, one beat due during it: the ten minutes asleep are left out.
    expect(after).toMatchObject({ outage: { downForMs: 1_500, graceMs: GRACE } });
  });
});

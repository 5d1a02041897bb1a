/**
 * Issue 11 in the page: the endpoint form's connection settings (request timeout, largest reply), the run
 * summary's waiting notes and fault lines, and files measured before they are read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../../src/ui/components/drpo-endpoint-form';
import '../../../src/ui/components/run/drpo-fault-summary';
import '../../../src/ui/views/drpo-data-view';
import type { DrpoEndpointForm } from '../../../src/ui/components/drpo-endpoint-form';
import type { DrpoFaultSummary } from '../../../src/ui/components/run/drpo-fault-summary';
import type { DrpoDataView } from '../../../src/ui/views/drpo-data-view';
import { AppState } from '../../../src/ui/app/app-state';
import { ErrorName } from '../../../src/core/contracts/errors';
import type { RunEvent } from '../../../src/core/contracts/run-events';
import { openStore } from '../../../src/store/store';
import { applyEvents, createRunViewModel } from '../../../src/ui/view-models/run/run-view-model';
import { FakeClient, asClient } from '../../support/shell-fakes';
import { $, mount, settle, text, unmountAll } from '../../support/dom';
import { emptyStats, makeNode } from '../../support/live-fixtures';

afterEach(() => {
  unmountAll();
  vi.useRealTimers();
});

function type(el: HTMLElement, selector: string, value: string): void {
  const input = $<HTMLInputElement>(el, selector);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('endpoint connection settings', () => {
  it('sends the request timeout and the reply limit, and remembers them', async () => {
    const client = new FakeClient();
    const store = await openStore({ forceMemory: true });
    const appState = new AppState();
    const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', { client: asClient(client), appState, store });
    type(el, '#url', 'http://localhost:8080/v1');
    type(el, '#timeout', '20');
    type(el, '#reply', '2');
    type(el, '#outage', '0');
    await settle(el);
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await settle(el, 5);
    const sent = { timeoutMs: 20_000, maxReplyBytes: 2 * 2 ** 20, outageGraceMs: 0 };
    expect(client.endpoints[0]).toMatchObject(sent);
    expect((await store.listEndpoints())[0]).toMatchObject(sent);
    expect(appState.value.endpoints[0]).toMatchObject({ timeoutMs: 20_000, outageGraceMs: 0 });
  });

  it('refuses an outage wait out of range, naming the field', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', {
      client: asClient(client),
      appState: new AppState(),
    });
    type(el, '#url', 'http://localhost:8080/v1');
    type(el, '#outage', '-5');
    await settle(el);
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await settle(el, 5);
    expect(text($(el, '[data-error]'))).toMatch(/outage wait \(seconds\) must be a number from 0 to 3600/);
    expect(client.endpoints).toEqual([]);
    // The field is marked, and points at the message; the address is not blamed.
    expect($(el, '#outage').getAttribute('aria-invalid')).toBe('true');
    expect($(el, '#outage').getAttribute('aria-describedby')).toBe($(el, '[data-error]').id);
    expect($(el, '#url').hasAttribute('aria-invalid')).toBe(false);
  });

  it('left empty: the defaults; a bad value is explained and nothing is called', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoEndpointForm>('drpo-endpoint-form', {
      client: asClient(client),
      appState: new AppState(),
    });
    type(el, '#url', 'http://localhost:8080/v1');
    type(el, '#timeout', '0');
    await settle(el);
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await settle(el, 5);
    expect($(el, '[data-error]').dataset.error).toBe(ErrorName.InvalidInput);
    expect(text($(el, '[data-error]'))).toMatch(/request timeout \(seconds\) must be a number from 1 to 3600/);
    expect(client.endpoints).toEqual([]);
    type(el, '#timeout', '');
    await settle(el);
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await settle(el, 5);
    expect(client.endpoints[0]!.timeoutMs).toBeUndefined();
    expect(client.endpoints[0]!.maxReplyBytes).toBeUndefined();
  });
});

describe('drpo-fault-summary', () => {
  /** The wait note as rendered at `now` (null when none is shown). */
  const waitingAt = async (el: DrpoFaultSummary, now: number) => {
    vi.setSystemTime(now);
    el.requestUpdate();
    await settle(el);
    return el.shadowRoot!.querySelector('[data-waiting]')?.textContent?.trim() ?? null;
  };

  const ev = (e: Record<string, unknown>, at = Date.now()) => ({ runId: 'r', at, ...e }) as RunEvent;
  /** A failed request waiting `retryInMs` for its attempt `attempt` of 4 (an HTTP status, else a network error). */
  const retry = (attempt: number, retryInMs: number, status?: number, extra: Record<string, unknown> = {}) =>
    ev({
      type: 'call-retry',
      role: 'judge',
      error: status ? { name: 'ServerError', message: 'x', status } : { name: 'NetworkError', message: 'x' },
      attempt,
      attempts: 4,
      retryInMs,
      ...extra,
    });

  it('says when the endpoint is down and is being waited for', async () => {
    // The clock stands still: the note counts down from when the event was applied, and a slow render must
    // not turn "in 1 s" into "now" (it did once under load).
    vi.useFakeTimers({ toFake: ['Date'] });
    const vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'run-started', projection: null, preset: 'quick', resumed: false }),
      retry(9, 4000, undefined, { outage: { downForMs: 21_000, graceMs: 60_000, retry: 5 } }),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm, running: true });
    expect(text($(el, '[data-waiting]'))).toBe(
      'Waiting: the endpoint has been down for 21 s (network); it gets up to 1 min to come back (retry 5, next in 4 s).',
    );
  });

  it('says what a running run waits for, and stops once the call went through', async () => {
    // The clock stands still: the note counts down from when the event was applied, and a slow render must
    // not turn "in 1 s" into "now" (it did once under load).
    vi.useFakeTimers({ toFake: ['Date'] });
    let vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'run-started', projection: null, preset: 'quick', resumed: false }),
      retry(2, 4000, 500),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm, running: true });
    expect(text($(el, '[data-waiting]'))).toBe('Waiting: the endpoint answered HTTP 500; retry 2 of 3 in 4 s.');
    expect(text($(el, '[role=status]'))).toBe('Waiting: the endpoint answered HTTP 500; retry 2 of 3 in 4 s.');
    // The next retry at once is shown, but not read out again (a screen reader would queue each one).
    vm = applyEvents(vm, [retry(3, 8000, 500)]);
    el.vm = vm;
    await settle(el);
    expect(text($(el, '[data-waiting]'))).toBe('Waiting: the endpoint answered HTTP 500; retry 3 of 3 in 8 s.');
    expect(text($(el, '[role=status]'))).toBe('Waiting: the endpoint answered HTTP 500; retry 2 of 3 in 4 s.');
    vm = applyEvents(vm, [ev({ type: 'usage', role: 'judge', usage: {}, cached: false, stats: emptyStats() })]);
    el.vm = vm;
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-waiting]')).toBeNull();
    // A screen reader hears that the run goes on (the note just went away), and a new wait at once.
    expect(text($(el, '[role=status]'))).toBe('The endpoint answered again; the run goes on.');
    vm = applyEvents(vm, [retry(1, 1000, 503)]);
    el.vm = vm;
    await settle(el);
    expect(text($(el, '[role=status]'))).toBe('Waiting: the endpoint answered HTTP 503; retry 1 of 3 in 1 s.');
  });

  it('counts a wait down while nothing arrives, drops it once the retry went out, then times the silence from then', async () => {
    // Only the clock is faked: the note reads it at each render (its own timer re-renders it every second).
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const at = (el: DrpoFaultSummary, ms: number) => waitingAt(el, t0 + ms);
    const vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'run-started', projection: null, preset: 'quick', resumed: false }, t0),
      ev({ ...retry(1, 6000, 429), at: t0 }),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm, running: true });
    expect(await at(el, 0)).toBe('Waiting: the endpoint answered HTTP 429; retry 1 of 3 in 6 s.');
    expect(await at(el, 2000)).toBe('Waiting: the endpoint answered HTTP 429; retry 1 of 3 in 4 s.');
    // Sent: no note, and the region does not claim the endpoint answered (nothing has come back yet).
    expect(await at(el, 6000)).toBeNull();
    expect(text($(el, '[role=status]'))).toBe('Waiting: the endpoint answered HTTP 429; retry 1 of 3 in 6 s.');
    expect(await at(el, 15_000)).toBeNull();
    expect(await at(el, 26_000)).toBe('No reply for 20 s: waiting for the model…');
    // An outage's length counts up with its countdown.
    el.vm = applyEvents(vm, [
      ev({ ...retry(4, 2100, undefined, { outage: { downForMs: 3400, graceMs: 60_000, retry: 4 } }), at: t0 + 30_000 }),
    ]);
    expect(await at(el, 31_000)).toBe(
      'Waiting: the endpoint has been down for 4.4 s (network); it gets up to 1 min to come back (retry 4, next in 1.1 s).',
    );
  });

  it('leaves out an hour the laptop slept from "No reply for …" and from an outage\'s length', async () => {
    // Only the clock is faked: each render below is one of the note's one-second ticks, then the lid closes.
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const at = (el: DrpoFaultSummary, ms: number) => waitingAt(el, t0 + ms);
    const vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'run-started', projection: null, preset: 'quick', resumed: false }, t0),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm, running: true });
    for (let s = 0; s <= 12; s++) await at(el, s * 1000);
    expect(await at(el, 12_000)).toBe('No reply for 12 s: waiting for the model…');
    const HOUR = 3_600_000;
    // On waking: the tick that was due counts, the hour asleep does not.
    expect(await at(el, HOUR + 12_000)).toBe('No reply for 13 s: waiting for the model…');
    // An outage met on waking: its length counts up in awake time too.
    const t1 = HOUR + 20_000;
    el.vm = applyEvents(vm, [
      ev({ ...retry(4, 6000, undefined, { outage: { downForMs: 3000, graceMs: 60_000, retry: 4 } }), at: t0 + t1 }),
    ]);
    expect(await at(el, t1)).toBe(
      'Waiting: the endpoint has been down for 3 s (network); it gets up to 1 min to come back (retry 4, next in 6 s).',
    );
    await at(el, t1 + 1000);
    expect(await at(el, t1 + HOUR + 1000)).toBe(
      'Waiting: the endpoint has been down for 5 s (network); it gets up to 1 min to come back (retry 4, next in 4 s).',
    );
  });

  it('a long silence is noticed without any event', async () => {
    const vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'run-started', projection: null, preset: 'quick', resumed: false }, Date.now() - 15_000),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm, running: true });
    expect(text($(el, '[data-waiting]'))).toMatch(/No reply for 1[5-9] s: waiting for the model/);
    el.running = false;
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-waiting]')).toBeNull();
  });

  it('lists the faults of the run with a hint, and nothing for a clean run', async () => {
    const unscored = makeNode({ id: 'd1-n0' });
    unscored.evaluations = Array.from({ length: 6 }, (_, i) => ({
      ...unscored.evaluations[0]!,
      reward: i < 5 ? null : 4,
    }));
    const stats = { ...emptyStats(), calls: 30, parseFailures: 5, retries: 3, endpointErrors: { 'HTTP 500': 3 } };
    const vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'node-evaluated', node: unscored }),
      ev({ type: 'usage', role: 'judge', usage: {}, cached: false, stats }),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm });
    const t = text($(el, '[data-faults]'));
    expect(t).toContain('5 model replies could not be read');
    expect(t).toContain('5 of 6 answers could not be scored');
    expect(t).toContain('3 requests to the endpoint failed (HTTP 500 ×3); 3 attempts repeated.');
    expect(t).toMatch(/Hint: 83% of the judge's replies were unreadable/);
    el.vm = applyEvents(createRunViewModel('clean'), [ev({ type: 'node-evaluated', node: makeNode({ id: 'd0-n0' }) })]);
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-faults]')).toBeNull();
  });

  it("names the endpoint's outages among the faults: the ones waited out and the one that stopped the run", async () => {
    const outages = [
      { downMs: 11_000, graceMs: 60_000, end: 'back' },
      { downMs: 60_000, graceMs: 60_000, end: 'gave-up' },
    ];
    const stats = { ...emptyStats(), calls: 30, retries: 9, endpointErrors: { network: 11 }, outages };
    const vm = applyEvents(createRunViewModel('r'), [
      ev({ type: 'run-finished', status: 'failed', best: null, stats, artifact: null }),
    ]);
    const el = await mount<DrpoFaultSummary>('drpo-fault-summary', { vm });
    const items = [...el.shadowRoot!.querySelectorAll('[data-faults] li')].map((li) => text(li));
    expect(items).toEqual([
      '11 requests to the endpoint failed (network ×11); 9 attempts repeated.',
      'The endpoint was down 2 times, 1.2 min in all (longest 1 min); the run waited out 1, and 1 outlasted the outage wait (1 min), which stopped the run.',
    ]);
    el.vm = applyEvents(createRunViewModel('clean'), [ev({ type: 'node-evaluated', node: makeNode({ id: 'd0-n0' }) })]);
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-faults]')).toBeNull();
  });
});

describe('files are measured before they are read', () => {
  it('a 100 MB training file is refused by its size; not a byte is read', async () => {
    const el = await mount<DrpoDataView>('drpo-data-view', { appState: new AppState() });
    const big = new File(['{"query": "x"}'], 'big.jsonl');
    Object.defineProperty(big, 'size', { value: 100 * 2 ** 20 });
    const read = vi.spyOn(big, 'arrayBuffer');
    await el.readFile(big);
    await settle(el);
    expect(text($(el, '[data-upload-error]'))).toMatch(/“big.jsonl” is 100 MB; files up to 50 MB can be read here/);
    expect(read).not.toHaveBeenCalled();
  });
});

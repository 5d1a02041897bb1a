/**
 * A short outage of an endpoint that answered before is waited out (OutageWatch): its requests wait, one probe
 * at a time, until it answers again or the grace is over; an endpoint that never answered still fails fast.
 * Real timers with a small grace and short back-off pauses: each test takes well under a second.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptFailure } from '../../../../src/core/contracts/chat-model';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import { describeRetry } from '../../../../src/core/calls/fault-summary';
import { serializeError } from '../../../../src/core/contracts/errors';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import type { OpenAICompatibleOptions } from '../../../../src/llm/openai/openai-compatible';
import { OutageWatch, isOutageFailure } from '../../../../src/llm/openai/outage-watch';
import { AdaptiveGate } from '../../../../src/llm/openai/adaptive-gate';
import { listEndpointModels } from '../../../../src/llm/openai/endpoint';
import { startScriptedServer } from '../../../fixtures/scripted-server';
import type { ScriptedServer } from '../../../fixtures/scripted-server';
import { rejection } from '../../../support/errors';

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(): Promise<ScriptedServer> {
  const s = await startScriptedServer();
  servers.push(s);
  return s;
}

/**
 * Without the watch these settings give up after about 0.1 s (3 retries of 12–50 ms): every test below that
 * rides out a longer outage proves the grace.
 */
function endpoint(server: ScriptedServer, graceMs: number, opts: Partial<OpenAICompatibleOptions> = {}) {
  const outage = new OutageWatch(graceMs);
  const make = () =>
    new OpenAICompatibleModel({
      baseUrl: server.url,
      model: 'scripted-small',
      maxRetries: 3,
      backoffBaseMs: 25,
      backoffMaxMs: 50,
      random: () => 0.5,
      timeoutMs: 5_000,
      outage,
      ...opts,
    });
  return { outage, model: make(), make };
}

const ask = (content = 'Explain tides.', seen?: AttemptFailure[]) => ({
  messages: [{ role: 'user' as const, content }],
  onAttemptFailed: seen ? (f: AttemptFailure) => void seen.push(f) : undefined,
});

const down = (s: ScriptedServer) => s.setFaults({ mode: 'down' });

/** A server whose endpoint has answered once (through the watch) and then went down. */
async function answeredThenDown(graceMs: number, opts: Partial<OpenAICompatibleOptions> = {}) {
  const server = await serve();
  const e = endpoint(server, graceMs, opts);
  await e.model.chat(ask('first'));
  down(server);
  return { server, ...e };
}

/**
 * Asks while `server` is down, bringing it back once the request has failed `backAfter` times (on the event, not
 * on a timer: a loaded machine's slow timers would fit fewer attempts into a fixed outage): the request is
 * answered; its failed attempts.
 */
async function askUntilBack(server: ScriptedServer, model: OpenAICompatibleModel, backAfter: number, content: string) {
  const seen: AttemptFailure[] = [];
  const r = await model.chat({
    ...ask(content),
    onAttemptFailed: (f: AttemptFailure) => {
      seen.push(f);
      if (seen.length === backAfter) server.setFaults(null);
    },
  });
  expect(r.choices[0]!.text).toBeTruthy();
  return seen;
}

const chats = (s: ScriptedServer) => s.requests.filter((r) => r.path === '/v1/chat/completions');

describe('an endpoint that answered before', () => {
  it('is waited for through a short outage, and the request then gets its answer', async () => {
    const { server, model } = await answeredThenDown(3_000);
    // The server comes back once the request has failed 5 times, more than its own retries allow: it gets its
    // answer only if the outage is waited out.
    const seen = await askUntilBack(server, model, 5, 'during');
    expect(seen.length).toBe(5);
    for (const f of seen) {
      expect(f.error.name).toBe(ErrorName.Network);
      expect(f.retryInMs).toBeGreaterThan(0);
      expect(f.outage).toMatchObject({ graceMs: 3_000 });
    }
    expect(seen.map((f) => f.outage!.retry)).toEqual(seen.map((_, i) => i + 1));
    const text = describeRetry({ ...seen.at(-1)!, error: serializeError(seen.at(-1)!.error), retryInMs: 4000 });
    expect(text).toMatch(
      /^the endpoint (went down|has been down for [\d.]+ s) \(network\); it gets up to 3 s to come back \(retry \d+, next in 4 s\)$/,
    );
  });

  it('that stays out longer than the grace fails once the grace is over, saying it went down and did not come back', async () => {
    const { model } = await answeredThenDown(300);
    const seen: AttemptFailure[] = [];
    // On the clock the wait is counted on (Date.now, whole milliseconds): performance.now could read 299.x.
    const t0 = Date.now();
    const err = await rejection(model.chat(ask('during', seen)));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    // A name of its own, so the page and the CLI do not give the advice for a server never reached (address, CORS).
    expect(err.name).toBe(ErrorName.EndpointDown);
    expect(err.message).toBe('The endpoint stopped answering and did not come back within 0.3 s (the outage wait).');
    // The last failure's address and cause, not its advice.
    expect((err as AppError).detail).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1: /);
    expect(seen.at(-1)).toMatchObject({ error: err, retryInMs: null });
    // No probe is planned past the deadline: the last one goes out at the latest as the grace ends.
    for (const f of seen.slice(0, -1)) expect(f.outage!.downForMs + f.retryInMs!).toBeLessThanOrEqual(300);
  });

  it('keeps its own retries for after the outage: the server back with one 429 still answers the request', async () => {
    const { server, model } = await answeredThenDown(3_000);
    // Down for more failed attempts than the request's own 3 retries, then one 429 before it answers.
    const seen: AttemptFailure[] = [];
    const onAttemptFailed = (f: AttemptFailure) => {
      seen.push(f);
      if (f.outage?.retry === 5) server.setFaults({ mode: 'http-429', times: 1 });
    };
    const r = await model.chat({ ...ask('during'), onAttemptFailed });
    expect(r.choices[0]!.text).toBeTruthy();
    expect(seen.filter((f) => f.outage)).toHaveLength(5);
    // The 429 is the request's first own retry, said as such.
    const own = seen.filter((f) => !f.outage);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ error: { name: ErrorName.RateLimit }, attempt: 1, attempts: 4 });
  });

  it('waits out 502, 503 and 504 too, but not a 401 or 404', async () => {
    const server = await serve();
    const { model } = endpoint(server, 3_000);
    await model.chat(ask('first'));
    server.setFaults({ mode: 'http-503', times: 6 });
    await model.chat(ask('overloaded'));
    expect(chats(server).filter((r) => r.status === 503)).toHaveLength(6);
    server.setFaults({ mode: 'http-401' });
    const t0 = performance.now();
    expect((await rejection(model.chat(ask('auth')))).name).toBe(ErrorName.Auth);
    server.setFaults({ mode: 'http-404' });
    expect((await rejection(model.chat(ask('gone')))).name).toBe(ErrorName.NotFound);
    expect(performance.now() - t0).toBeLessThan(1_000);
    for (const status of [502, 504]) {
      const err = new AppError(ErrorName.ServerError, 'x', { status });
      expect(isOutageFailure(err)).toBe(true);
    }
    expect(isOutageFailure(new AppError(ErrorName.ServerError, 'x', { status: 501 }))).toBe(false);
    expect(isOutageFailure(new AppError(ErrorName.RateLimit, 'x', { status: 429 }))).toBe(false);
    expect(isOutageFailure(new AppError(ErrorName.Timeout, 'x'))).toBe(false);
  });

  it('stops waiting at once when the request is cancelled', async () => {
    // The pause before the next probe is long (at least 5 s): only the abort can end the wait early.
    const { server, model } = await answeredThenDown(60_000, { backoffBaseMs: 10_000, backoffMaxMs: 10_000 });
    const ctrl = new AbortController();
    let failedOnce!: () => void;
    const waiting = new Promise<void>((r) => (failedOnce = r));
    const pending = model.chat({ ...ask('during'), signal: ctrl.signal, onAttemptFailed: () => failedOnce() });
    await waiting;
    const before = chats(server).length;
    const t0 = performance.now();
    ctrl.abort();
    const err = await rejection(pending);
    expect(err.name).toBe(ErrorName.Abort);
    expect(performance.now() - t0).toBeLessThan(2_500);
    expect(chats(server).length).toBe(before);
  });

  it('makes concurrent requests wait together: one probe at a time, and all give up at the same moment', async () => {
    const { server, model, make } = await answeredThenDown(500);
    const other = make();
    const ends: number[] = [];
    const calls = ['a', 'b', 'c', 'd'].map((q, i) =>
      (i % 2 ? other : model).chat(ask(q)).finally(() => ends.push(performance.now())),
    );
    const settled = await Promise.allSettled(calls);
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect(((s as PromiseRejectedResult).reason as Error).name).toBe(ErrorName.EndpointDown);
    }
    expect(Math.max(...ends) - Math.min(...ends)).toBeLessThan(50);
    // Each request failed once as the outage began; after that, only the probes (one every 37.5 ms at most,
    // 500 ms in all) reached the server. Four requests retrying on their own would have sent about four times as many.
    const sent = chats(server).length - 1;
    expect(sent).toBeGreaterThan(4);
    expect(sent).toBeLessThanOrEqual(4 + Math.ceil(500 / 37.5) + 1);
  });

  it('lets concurrent requests go on together as soon as a probe gets an answer', async () => {
    const { server, model } = await answeredThenDown(3_000);
    // Back once a probe has failed (on the event, not after a fixed time: on a loaded machine the four first
    // failures alone could outlast it).
    const onAttemptFailed = (f: AttemptFailure) => void (f.outage?.retry === 2 && server.setFaults(null));
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((q) => model.chat({ ...ask(q), onAttemptFailed })));
    expect(answers.every((a) => a.choices[0]!.text)).toBe(true);
    // Four failures as the outage began, then one probe at a time until one was answered; the three that
    // waited went out at once on that answer and got theirs, with no failed attempt of their own in between.
    const statuses = chats(server)
      .slice(1)
      .map((r) => (r.fault ? 'down' : 'ok'));
    const firstOk = statuses.indexOf('ok');
    expect(firstOk).toBeGreaterThan(4);
    expect(statuses.slice(firstOk)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
});

describe('a probe cancelled before it went out', () => {
  it('leaves the probing to the next request (it was waiting for a slot)', async () => {
    const gate = new AdaptiveGate(1);
    let took!: (hold: Promise<() => void>) => void;
    const hold = new Promise<Promise<() => void>>((r) => (took = r));
    const { server, model } = await answeredThenDown(3_000, { gate });
    const ctrl = new AbortController();
    const first = model.chat({
      ...ask('cancelled'),
      signal: ctrl.signal,
      // Takes the only slot as soon as the failed attempt gives it back: the probe will wait for it.
      onAttemptFailed: () => took(gate.acquire()),
    });
    const holding = await await hold;
    await new Promise((r) => setTimeout(r, 100)); // past the first probe's time: it now waits for the slot
    ctrl.abort();
    expect((await rejection(first)).name).toBe(ErrorName.Abort);
    server.setFaults(null);
    const next = model.chat(ask('next'));
    holding();
    expect((await next).choices[0]!.text).toBeTruthy();
  });
});

describe('an endpoint whose model listing was answered', () => {
  it('has answered: an outage right after the listing is waited out', async () => {
    const server = await serve();
    const { outage, model } = endpoint(server, 3_000);
    expect(await listEndpointModels({ baseUrl: server.url, outage })).toContain('scripted-small');
    down(server);
    const seen = await askUntilBack(server, model, 5, 'first');
    expect(seen.length).toBe(5);
    expect(seen.every((f) => f.outage)).toBe(true);
  });

  it('but whose every request fails with HTTP 500 is refusing them, not restarting: they get their own retries', async () => {
    const server = await serve();
    const { outage, model } = endpoint(server, 3_000);
    await listEndpointModels({ baseUrl: server.url, outage });
    server.setFaults({ mode: 'http-500', paths: ['/v1/chat/completions'] });
    const seen: AttemptFailure[] = [];
    const t0 = performance.now();
    const err = await rejection(model.chat(ask('refused', seen)));
    expect(performance.now() - t0).toBeLessThan(2_500);
    expect(err.name).toBe(ErrorName.ServerError);
    expect(seen).toHaveLength(4); // the first attempt and its 3 retries
    expect(seen.some((f) => f.outage)).toBe(false);
  });

  it('and a 500 once a request succeeded is waited out, and said as such when the wait runs out', async () => {
    const server = await serve();
    const { outage, model } = endpoint(server, 300);
    await listEndpointModels({ baseUrl: server.url, outage });
    await model.chat(ask('answered'));
    server.setFaults({ mode: 'http-500', paths: ['/v1/chat/completions'] });
    const seen: AttemptFailure[] = [];
    const err = await rejection(model.chat(ask('during', seen)));
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.every((f) => f.outage)).toBe(true);
    expect(err.name).toBe(ErrorName.EndpointDown);
    expect(err.message).toBe(
      'The endpoint kept failing with HTTP 500 and did not recover within 0.3 s (the outage wait).',
    );
    // The server's own words, where a network failure has its address and cause.
    expect((err as AppError).detail).toMatch(/^The model server failed with HTTP 500: Scripted internal error/);
  });
});

describe('an endpoint that answered a resumed run before', () => {
  it('is waited for from the first request of the new session, even after an earlier wait ran out', async () => {
    // A grace long enough for 5 failed attempts on a loaded machine, short enough for the first wait to run out.
    const { server, outage, model } = await answeredThenDown(1_000);
    await rejection(model.chat(ask('lost')));
    // The run is resumed (its checkpoint holds the endpoint's replies) into a server that is still restarting,
    // for longer than the request's own retries last.
    outage.answeredBefore();
    const seen = await askUntilBack(server, model, 5, 'resumed');
    expect(seen.length).toBe(5);
    expect(seen.every((f) => f.outage)).toBe(true);
  });
});

describe('the model listing (waitOutOutage: the CLI, which lists before it resumes)', () => {
  const list = (server: ScriptedServer, outage: OutageWatch, onFailed: (f: AttemptFailure) => void = () => {}) =>
    listEndpointModels({
      baseUrl: server.url,
      outage,
      waitOutOutage: true,
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
      onAttemptFailed: onFailed,
    });

  it('of an endpoint that answered a resumed run before waits out its outage', async () => {
    const server = await serve();
    const outage = new OutageWatch(5_000);
    outage.answeredBefore();
    down(server);
    const seen: AttemptFailure[] = [];
    // Back once the first attempt failed: the retry it waited for was the outage's probe, not its own.
    const listed = await list(server, outage, (f) => {
      seen.push(f);
      server.setFaults(null);
    });
    expect(listed).toContain('scripted-small');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.outage).toMatchObject({ graceMs: 5_000, retry: 1 });
  });

  it('of an endpoint not known to have answered fails after its own retry, and its success counts as a listing only', async () => {
    const server = await serve();
    const outage = new OutageWatch(60_000);
    down(server);
    const seen: AttemptFailure[] = [];
    expect((await rejection(list(server, outage, (f) => void seen.push(f)))).name).toBe(ErrorName.Network);
    expect(seen).toHaveLength(2);
    expect(seen.some((f) => f.outage)).toBe(false);
    server.setFaults(null);
    await list(server, outage);
    // Listed, not answered: a 500 on every call is the server refusing them, not an outage to wait for.
    expect(outage.hasAnswered).toBe(false);
    const model = new OpenAICompatibleModel({ baseUrl: server.url, model: 'scripted-small', maxRetries: 1, outage });
    server.setFaults({ mode: 'http-500', paths: ['/v1/chat/completions'] });
    const chatSeen: AttemptFailure[] = [];
    expect((await rejection(model.chat(ask('refused', chatSeen)))).name).toBe(ErrorName.ServerError);
    expect(chatSeen.some((f) => f.outage)).toBe(false);
  });

  it("without waitOutOutage (the page's setup form) is not held up by an outage", async () => {
    const server = await serve();
    const outage = new OutageWatch(60_000);
    outage.answeredBefore();
    down(server);
    const seen: AttemptFailure[] = [];
    const err = await rejection(
      listEndpointModels({
        baseUrl: server.url,
        outage,
        sleep: async () => {},
        onAttemptFailed: (f) => void seen.push(f),
      }),
    );
    expect(err.name).toBe(ErrorName.Network);
    expect(seen.some((f) => f.outage)).toBe(false);
  });
});

describe('an endpoint that never answered', () => {
  it('fails after the usual few retries, as before', async () => {
    const server = await serve();
    const { model } = endpoint(server, 60_000);
    down(server);
    const seen: AttemptFailure[] = [];
    const t0 = performance.now();
    const err = await rejection(model.chat(ask('first', seen)));
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(err.name).toBe(ErrorName.Network);
    expect(seen).toHaveLength(4);
    expect(seen.every((f) => f.outage === undefined)).toBe(true);
  });

  it('nor one whose grace ran out: it must answer again before the next outage is waited out', async () => {
    const { model } = await answeredThenDown(200);
    await rejection(model.chat(ask('lost')));
    const seen: AttemptFailure[] = [];
    await rejection(model.chat(ask('again', seen)));
    expect(seen).toHaveLength(4);
    expect(seen.every((f) => f.outage === undefined)).toBe(true);
  });
});

describe('a grace of 0', () => {
  it('waits out nothing: an endpoint that answered before gets the usual few retries', async () => {
    const { model } = await answeredThenDown(0);
    const seen: AttemptFailure[] = [];
    expect((await rejection(model.chat(ask('during', seen)))).name).toBe(ErrorName.Network);
    expect(seen).toHaveLength(4);
    expect(seen.every((f) => f.outage === undefined)).toBe(true);
  });
});

describe('OutageWatch', () => {
  const err = new AppError(ErrorName.Network, 'down');
  const delayFor = () => 100;

  it('is no outage when the endpoint answered others since this request last failed: its own retries apply', async () => {
    let now = 0;
    const w = new OutageWatch(1_000, () => now);
    w.heard(true, false);
    const first = w.failed(err, { probe: false, answersBefore: undefined, delayFor });
    expect(first).toMatchObject({ retryInMs: 100, outage: { downForMs: 0, retry: 1 } });
    const seen = w.answers;
    w.heard(true, false); // another request got its answer
    now = 150;
    expect(await w.turn()).toBe('go');
    expect(w.failed(err, { probe: false, answersBefore: seen, delayFor })).toBeNull();
  });
});

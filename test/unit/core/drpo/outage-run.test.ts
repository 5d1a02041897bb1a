/**
 * A whole run rides out its endpoint restarting: the scripted server is shut (connections refused, answers in
 * flight cut off) in the middle of a run with four calls in flight, and started again on the same port 1.5
 * seconds later. The run waits (saying so in 'call-retry' events), then finishes with the same alignment, the
 * same nodes and the same call cache as an undisturbed run. The grace and the back-off pauses are small here
 * (4 s, 20–200 ms): without the outage grace these settings give up after about a third of a second.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { describeRetry, summarizeFaults } from '../../../../src/core/calls/fault-summary';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import { ErrorName } from '../../../../src/core/contracts/errors';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import { OutageWatch } from '../../../../src/llm/openai/outage-watch';
import { hashString } from '../../../fixtures/schema-instance';
import { defaultResponder, startScriptedServer } from '../../../fixtures/scripted-server';
import type { ScriptedResponder, ScriptedServer } from '../../../fixtures/scripted-server';
import { fakeClock, gatewayFor, models, smallConfig } from '../../../support/engine';

let servers: ScriptedServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Judgements that depend only on the request (never on timing or call order), for the aspects asked about. */
const responder: ScriptedResponder = (input) => {
  const body = input.body as {
    messages?: { content: string }[];
    response_format?: { json_schema?: { name?: string } };
  };
  if (body.response_format?.json_schema?.name !== 'aspect_scores') return defaultResponder(input);
  const user = body.messages?.at(-1)?.content ?? '';
  const names = [...user.slice(user.indexOf('Score the answer')).matchAll(/^- ([^:\n]+):/gm)].map((m) => m[1]);
  const score = 1 + (hashString(user) % 5);
  return JSON.stringify({ scores: names.map((aspect) => ({ aspect, rationale: 'Scripted judgement.', score })) });
};

async function serve(port?: number): Promise<ScriptedServer> {
  const s = await startScriptedServer({ port, responder });
  servers.push(s);
  return s;
}

async function run(server: ScriptedServer, onUsage: (n: number) => void = () => undefined) {
  const model = new OpenAICompatibleModel({
    baseUrl: server.url,
    model: 'scripted-small',
    maxRetries: 3,
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    timeoutMs: 5_000,
    outage: new OutageWatch(4_000),
  });
  const events: RunEvent[] = [];
  let checkpoint: RunCheckpoint | null = null;
  let calls = 0;
  const result = await runDrpo(
    smallConfig({ settings: { queriesPerLevel: 2 } }),
    { models: models(model), now: fakeClock(), concurrency: 4 },
    {
      runId: 'outage',
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'usage' && !e.cached) onUsage(++calls);
      },
      onCheckpoint: (cp) => void (checkpoint = cp),
    },
  );
  return { result, events, checkpoint: checkpoint as RunCheckpoint | null };
}

describe('a run whose endpoint restarts', () => {
  it('waits for it and ends as an undisturbed run of the same seed does', { timeout: 30_000 }, async () => {
    const calm = await run(await serve());
    expect(calm.result.status).toBe('completed');

    const first = await serve();
    let restarted: Promise<ScriptedServer> | null = null;
    const restart = () => {
      // Shut in the middle of the run; back on the same port 1.5 s later.
      restarted = first.close().then(() => new Promise((r) => setTimeout(r, 1_500)).then(() => serve(first.port)));
    };
    const hit = await run(first, (n) => n === 12 && restart());
    expect(restarted).not.toBeNull();
    const second = await restarted!;

    expect(hit.result.status).toBe('completed');
    expect(hit.events.filter((e) => e.type === 'error')).toEqual([]);
    expect(second.requests.length).toBeGreaterThan(0);
    expect({ ...hit.result.artifact, createdAt: '' }).toEqual({ ...calm.result.artifact, createdAt: '' });
    expect(hit.result.nodes.map((n) => [n.id, n.prompt, n.reward])).toEqual(
      calm.result.nodes.map((n) => [n.id, n.prompt, n.reward]),
    );
    expect(Object.keys(hit.checkpoint!.calls).sort()).toEqual(Object.keys(calm.checkpoint!.calls).sort());
    expect(hit.result.stats.calls).toBe(calm.result.stats.calls);

    // The wait was said while it lasted: which call waits, for how long the endpoint has been down, and the grace.
    const notes = hit.events.flatMap((e) => (e.type === 'call-retry' && e.outage ? [describeRetry(e)] : []));
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes)
      expect(note).toMatch(/it gets up to 4 s to come back \(retry \d+, next (now|in [\d.]+ s)\)$/);
    expect(notes.some((n) => /has been down for [\d.]+ s \(network\)/.test(n))).toBe(true);

    // …and its fault list names it (the calm run met none).
    expect(calm.result.stats.outages).toBeUndefined();
    expect(hit.result.stats.outages!.length).toBeGreaterThan(0);
    expect(hit.result.stats.outages!.every((o) => o.end === 'back' && o.graceMs === 4_000)).toBe(true);
    expect(summarizeFaults(hit.result.stats, hit.result.nodes).lines).toContainEqual(
      expect.stringMatching(/^The endpoint was down (once|\d+ times), .*; the run waited (it|them) out\.$/),
    );
  });
});

describe("a run's fault list", () => {
  /**
   * Fake timers and clock (the watch reads Date.now), and an endpoint that refuses connections while `up` is
   * false: the pauses between probes are 750 ms, 1.5 s, 3 s, … (random 0.5), so every figure below is exact.
   */
  function setup(graceMs: number, judgeAt?: string) {
    vi.useFakeTimers({ now: 0 });
    const state = { up: true };
    const reply = { choices: [{ message: { content: 'Tides follow the moon.' }, finish_reason: 'stop' }] };
    const make = (baseUrl: string, down: () => boolean) =>
      new OpenAICompatibleModel({
        baseUrl,
        model: 'scripted-small',
        random: () => 0.5,
        backoffBaseMs: 1_000,
        backoffMaxMs: 8_000,
        fetchImpl: async () => {
          if (down()) throw new TypeError('fetch failed');
          return new Response(JSON.stringify(reply), { headers: { 'Content-Type': 'application/json' } });
        },
        outage: new OutageWatch(graceMs),
      });
    const model = make('http://127.0.0.1:8080/v1', () => !state.up);
    const stats = emptyStats();
    // `judgeAt`: the judge (and the roles it stands in for) on an endpoint of its own, which never goes down.
    const judge = judgeAt ? make(judgeAt, () => false) : model;
    const events: RunEvent[] = [];
    const gateway = gatewayFor(model, {
      stats,
      models: { policy: model, aspect: judge, judge, optimizer: judge },
      emit: async (e) => void events.push(e as RunEvent),
    });
    const ask = (content: string) => gateway.call('policy', { messages: [{ role: 'user', content }] });
    /** After a first answer, the policy's endpoint is down for 5 s while `contents` are asked; all get through. */
    const downFor5s = async (...contents: string[]) => {
      await ask('first');
      state.up = false;
      setTimeout(() => (state.up = true), 5_000);
      const during = Promise.all(contents.map(ask));
      await vi.advanceTimersByTimeAsync(10_000);
      await during;
    };
    return { state, stats, ask, downFor5s, events };
  }

  it('names an outage the run rode out, and how long it lasted', async () => {
    const { stats, downFor5s } = setup(60_000);
    await downFor5s('a', 'b');
    // Down from 0 to the probe at 5.25 s that found it back (those at 0.75 and 2.25 s failed, as did a and b at 0).
    expect(stats.outages).toEqual([
      { since: expect.any(Number), downMs: 5_250, graceMs: 60_000, end: 'back', failures: 4 },
    ]);
    expect(summarizeFaults(stats, []).lines).toEqual([
      '4 requests to the endpoint failed (network ×4); 4 attempts repeated.',
      'The endpoint was down once, for 5.3 s; the run waited it out.',
    ]);
  });

  it('names the endpoint that was down when the roles are served from more than one (its host only), live and after', async () => {
    const { stats, downFor5s, events } = setup(60_000, 'http://judge.example:9000/secret-path/v1');
    await downFor5s('a');
    expect(stats.outages).toEqual([
      {
        since: expect.any(Number),
        downMs: 5_250,
        graceMs: 60_000,
        end: 'back',
        failures: 3,
        endpoint: '127.0.0.1:8080',
      },
    ]);
    expect(summarizeFaults(stats, []).lines.at(-1)).toBe(
      'The endpoint at 127.0.0.1:8080 was down once, for 5.3 s; the run waited it out.',
    );
    // The live notes name it too, while the run waits.
    const notes = events.flatMap((e) => (e.type === 'call-retry' ? [describeRetry(e)] : []));
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^the endpoint at 127\.0\.0\.1:8080 (went down|has been down)/);
  });

  it('does not name it when both are served from one host (another path there is the same endpoint to the reader)', async () => {
    const { stats, downFor5s, events } = setup(60_000, 'http://127.0.0.1:8080/judge/v1');
    await downFor5s('a');
    expect(stats.outages).toHaveLength(1);
    expect(stats.outages![0]!.endpoint).toBeUndefined();
    const notes = events.flatMap((e) => (e.type === 'call-retry' ? [describeRetry(e)] : []));
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^the endpoint (went down|has been down)/);
  });

  it('names the outage that outlasted its wait, and every request that waited for it fails with it', async () => {
    const { state, stats, ask } = setup(3_000);
    await ask('first');
    state.up = false;
    const during = Promise.allSettled([ask('a'), ask('b')]);
    await vi.advanceTimersByTimeAsync(10_000);
    const settled = await during;
    expect(settled.map((s) => s.status === 'rejected' && (s.reason as Error).name)).toEqual([
      ErrorName.EndpointDown,
      ErrorName.EndpointDown,
    ]);
    // Probes at 0.75 and 2.25 s; the last at 3 s, as the wait ran out.
    expect(stats.outages).toEqual([
      { since: expect.any(Number), downMs: 3_000, graceMs: 3_000, end: 'gave-up', failures: 6 },
    ]);
    expect(summarizeFaults(stats, []).lines.at(-1)).toBe(
      'The endpoint was down once, for 3 s; it did not come back within the outage wait (3 s), which stopped the run.',
    );
  });
});

import { describe, expect, it, vi } from 'vitest';
import { AdaptiveGate } from '../../../../src/llm/openai/adaptive-gate';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import { startScriptedServer } from '../../../fixtures/scripted-server';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('AdaptiveGate', () => {
  it('keeps at most max requests in flight and hands slots on in order', async () => {
    const gate = new AdaptiveGate(2);
    const a = await gate.acquire();
    const b = await gate.acquire();
    let third = false;
    const c = gate.acquire().then((release) => ((third = true), release));
    await tick();
    expect(third).toBe(false);
    expect(gate.inFlight).toBe(2);
    a();
    a(); // releasing twice gives back one slot only
    (await c)();
    expect(third).toBe(true);
    b();
    expect(gate.inFlight).toBe(0);
  });

  it('a push-back halves the limit, holds every new request for the wait, then grows back one by one', async () => {
    let now = 1000;
    const gate = new AdaptiveGate(4, () => now);
    gate.pushedBack(50);
    expect(gate.limit).toBe(2);
    let started = false;
    const waiting = gate.acquire().then((r) => ((started = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(false);
    now += 60;
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(true);
    (await waiting)();
    gate.succeeded();
    expect(gate.limit).toBe(2);
    gate.succeeded();
    expect(gate.limit).toBe(3);
    for (let i = 0; i < 3; i++) gate.succeeded();
    expect(gate.limit).toBe(4);
    gate.succeeded();
    expect(gate.limit).toBe(4);
  });

  it('one overload halves the limit once, however many requests in flight hear it', () => {
    let now = 1000;
    const gate = new AdaptiveGate(8, () => now);
    // The server refuses all four requests it had in flight: one overload, one cut.
    for (let i = 0; i < 4; i++) gate.pushedBack(50);
    expect(gate.limit).toBe(4);
    // A longer wait asked while paused still extends the pause.
    gate.pushedBack(200);
    expect(gate.limit).toBe(4);
    now += 100;
    gate.pushedBack(10);
    expect(gate.limit).toBe(4);
    // Once the pause is over, a new refusal is a new overload.
    now += 200;
    gate.pushedBack(10);
    expect(gate.limit).toBe(2);
  });

  it('a pause keeps the process alive only while a request waits for it (Ctrl+C does not hang the CLI)', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const gate = new AdaptiveGate(2);
    gate.pushedBack(30_000);
    const timer = spy.mock.results.at(-1)!.value as NodeJS.Timeout;
    spy.mockRestore();
    try {
      // Nobody waits: the pause alone must not keep Node running.
      expect(timer.hasRef()).toBe(false);
      const ctrl = new AbortController();
      const waiting = gate.acquire(ctrl.signal);
      expect(timer.hasRef()).toBe(true);
      ctrl.abort();
      await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
      expect(timer.hasRef()).toBe(false);
    } finally {
      clearTimeout(timer);
    }
  });

  it('an aborted wait leaves the queue', async () => {
    const gate = new AdaptiveGate(1);
    const held = await gate.acquire();
    const ctrl = new AbortController();
    const waiting = gate.acquire(ctrl.signal);
    ctrl.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    held();
    (await gate.acquire())();
  });

  it('refuses a limit below 1', () => {
    expect(() => new AdaptiveGate(0)).toThrow(/whole number/);
  });
});

/**
 * Eight requests, two at a time, ~0.2 s each (without a pool-wide pause a new one would start every
 * ~0.2 s); the first answer is a refusal. Every request still gets its answer, and after the refusal
 * nothing new starts inside the 1 s wait (only the request sent with it may arrive meanwhile).
 */
async function expectPoolPause(
  mode: 'http-429' | 'http-503',
  server: Awaited<ReturnType<typeof startScriptedServer>>,
  backoff: { backoffBaseMs?: number; random?: () => number } = {},
): Promise<void> {
  try {
    server.setFaults({ mode, times: 1, paths: ['/chat/completions'] });
    const gate = new AdaptiveGate(2);
    const model = new OpenAICompatibleModel({
      baseUrl: server.url,
      model: 'scripted-small',
      gate,
      maxRetries: 2,
      ...backoff,
    });
    const asks = Array.from({ length: 8 }, (_, i) =>
      model.chat({ messages: [{ role: 'user', content: `Question ${i}` }], max_tokens: 20 }),
    );
    const replies = await Promise.all(asks);
    expect(replies.every((r) => r.choices[0]!.text.length > 0)).toBe(true);
    const calls = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const refused = calls.find((r) => r.status === Number(mode.slice(5)))!;
    expect(refused).toBeDefined();
    // The first two to arrive were sent together, before anything was heard: how far apart they arrive is the
    // machine's load, not the pool's pause. Every later one started after the wait.
    expect(calls.slice(0, 2)).toContain(refused);
    const early = calls.slice(2).filter((r) => r.time < refused.time + 900);
    expect(early).toEqual([]);
    expect(calls).toHaveLength(9);
  } finally {
    await server.close();
  }
}

describe('an endpoint that says "slow down"', () => {
  it('a 429 with Retry-After slows the whole pool, not just the request that heard it', async () => {
    await expectPoolPause('http-429', await startScriptedServer({ retryAfterS: 1, slots: 4, tokensPerSecond: 100 }));
  });

  it('a 503 without Retry-After slows the whole pool for the backoff delay', async () => {
    // backoff = base / 2 + random × base / 2 = 1 s with these settings.
    await expectPoolPause('http-503', await startScriptedServer({ slots: 4, tokensPerSecond: 100 }), {
      backoffBaseMs: 1000,
      random: () => 1,
    });
  });
});

describe('waiting for a slot', () => {
  it('does not count against the attempt timeout: a request queued longer than the timeout is still sent', async () => {
    const gate = new AdaptiveGate(1);
    const held = await gate.acquire();
    let sent = 0;
    const fetchImpl: typeof fetch = async (_url, init) => {
      // As real fetch does: a request whose signal is already aborted is never sent.
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      sent++;
      return new Response(JSON.stringify({ choices: [{ message: { content: 'ok' } }] }), {
        headers: { 'Content-Type': 'application/json' },
      });
    };
    const model = new OpenAICompatibleModel({
      baseUrl: 'http://127.0.0.1:39',
      model: 'm',
      gate,
      fetchImpl,
      timeoutMs: 30,
    });
    const reply = model.chat({ messages: [{ role: 'user', content: 'Hi' }] });
    // Hold the only slot for several timeouts; the queued request must not have timed out meanwhile.
    await new Promise((r) => setTimeout(r, 120));
    expect(sent).toBe(0);
    held();
    expect((await reply).choices[0]!.text).toBe('ok');
    expect(sent).toBe(1);
  });
});

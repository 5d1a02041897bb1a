import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import type { ChatModel, ChatRequest, ChatResult } from '../../../../src/core/contracts/chat-model';
import type { RunStats } from '../../../../src/core/contracts/run-events';
import { gatewayFor, scripted } from '../../../support/engine';

/** A model whose first call fails after a moment; later calls answer. `calls.n` counts them all. */
function failsFirst(): { model: ChatModel; calls: { n: number } } {
  const inner = scripted();
  const calls = { n: 0 };
  const chat = async (req: ChatRequest): Promise<ChatResult> => {
    const n = ++calls.n;
    await new Promise((r) => setTimeout(r, 5));
    if (n === 1) throw new Error('The connection dropped.');
    return inner.chat(req);
  };
  return { model: { ...inner, chat }, calls };
}

describe('call gateway: identical calls in flight', () => {
  it('joiners of a failed call make one new call between them, not one each', async () => {
    const { model, calls } = failsFirst();
    const stats = emptyStats();
    const gw = gatewayFor(model, { stats });
    const req: ChatRequest = { messages: [{ role: 'user', content: 'Name a colour.' }], max_tokens: 20 };
    const [first, second, third] = await Promise.allSettled([
      gw.call('policy', req),
      gw.call('policy', req),
      gw.call('policy', req),
    ]);
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('fulfilled');
    expect(third.status).toBe('fulfilled');
    expect(calls.n).toBe(2);
    expect((third as PromiseFulfilledResult<ChatResult>).value).toEqual(
      (second as PromiseFulfilledResult<ChatResult>).value,
    );
  });
});

describe('call gateway: an endpoint that stopped answering', () => {
  it('stops every call in flight or to come with the same error once one call failed for good', async () => {
    let calls = 0;
    const hangs: ChatModel = {
      ...scripted(),
      // Asked "a", it times out (every attempt); anything else would hang until stopped.
      chat: (req) => {
        calls++;
        if (req.messages[0]!.content === 'a')
          return new Promise((_, reject) =>
            setTimeout(() => reject(new AppError(ErrorName.Timeout, 'The endpoint did not answer.')), 10),
          );
        return new Promise((_, reject) =>
          req.signal?.addEventListener('abort', () => reject(new AppError(ErrorName.Abort, 'stopped'))),
        );
      },
    };
    const gw = gatewayFor(hangs);
    const ask = (content: string) => gw.call('policy', { messages: [{ role: 'user', content }], max_tokens: 20 });
    const t0 = performance.now();
    const settled = await Promise.allSettled([ask('a'), ask('b'), ask('c')]);
    // Without the stop, the two hanging calls would never settle (the test would time out).
    expect(performance.now() - t0).toBeLessThan(5_000);
    const reasons = settled.map((r) => (r.status === 'rejected' ? (r.reason as Error) : null));
    expect(reasons.every((e) => e?.name === ErrorName.Timeout)).toBe(true);
    expect(new Set(reasons).size).toBe(1);
    // Later calls fail at once with that error and never reach the endpoint.
    const before = calls;
    await expect(ask('d')).rejects.toMatchObject({ name: ErrorName.Timeout });
    expect(calls).toBe(before);
  });
});

describe('call gateway: what the server read of each prompt', () => {
  it('records it by role, once per call made (not for a cache hit), and emits copies', async () => {
    const seen: number[] = [];
    const counting: ChatModel = {
      ...scripted(),
      chat: async () => ({
        model: 'm',
        choices: [{ text: 'ok', finish_reason: 'stop' }],
        usage: { prompt_tokens: 2048, completion_tokens: 1 },
      }),
    };
    const stats = emptyStats();
    const emitted: RunStats[] = [];
    const gw = gatewayFor(counting, { stats, emit: async (e) => void (e.type === 'usage' && emitted.push(e.stats)) });
    const req = (chars: number): ChatRequest => ({
      messages: [{ role: 'user', content: 'x'.repeat(chars) }],
      max_tokens: 10,
    });
    await gw.call('optimizer', req(20_000));
    await gw.call('optimizer', req(20_000)); // served from the cache: not counted again
    await gw.call('optimizer', req(30_000));
    seen.push(stats.promptReads!.optimizer!.cut!.calls);
    expect(stats.promptReads).toEqual({
      optimizer: { most: 2048, cut: { calls: 2, minRead: 2048, maxRead: 2048, minSent: 5000, maxSent: 7500 } },
    });
    expect(seen).toEqual([2]);
    // What is emitted is a copy: later calls do not change it.
    expect(emitted[0]!.promptReads).not.toBe(stats.promptReads);
    expect(emitted[0]!.promptReads!.optimizer!.cut!.calls).toBe(1);
  });
});

describe('call gateway: empty replies dropped when the endpoint turned to them', () => {
  it('leave the cache and the hits together, so a resume counts its hits on them from nothing', async () => {
    let broken = true;
    const inner = scripted();
    const model: ChatModel = {
      ...inner,
      // "t" always gets text; anything else is empty until the endpoint is fixed.
      chat: async (req) => {
        const r = await inner.chat(req);
        return broken && req.messages[0]!.content !== 't'
          ? { ...r, choices: [{ text: '', finish_reason: 'stop' }] }
          : r;
      },
    };
    const ask = (gw: ReturnType<typeof gatewayFor>, content: string) =>
      gw.call('policy', { messages: [{ role: 'user', content }], max_tokens: 20 });
    const cache: Record<string, unknown> = {};
    const hits: Record<string, number> = {};
    const stats = emptyStats();
    const gw = gatewayFor(model, { cache, hits, stats, emptyStreak: 2 });
    await ask(gw, 't');
    const k = (await ask(gw, 'k')).choices[0]!.text;
    expect(k).toBe('');
    await ask(gw, 'k'); // a hit on the empty reply
    expect(Object.values(hits)).toEqual([1]);
    await expect(ask(gw, 'l')).rejects.toMatchObject({ name: ErrorName.EmptyReplies });
    expect(Object.keys(cache)).toHaveLength(1);
    expect(hits).toEqual({});
    // Fixed, and resumed from what the checkpoint would hold: "k" is asked again, then hit once.
    broken = false;
    const resumed = { cache: { ...cache }, hits: { ...hits }, stats: structuredClone(stats) };
    const gw2 = gatewayFor(model, { ...resumed, emptyStreak: 2 });
    await ask(gw2, 't');
    expect((await ask(gw2, 'k')).choices[0]!.text).not.toBe('');
    await ask(gw2, 'k');
    expect(Object.values(resumed.hits)).toEqual([1]);
  });
});

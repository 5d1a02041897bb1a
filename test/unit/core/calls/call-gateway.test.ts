import { describe, expect, it } from 'vitest';
import { CallGateway, emptyStats } from '../../../../src/core/calls/call-gateway';
import { BudgetTracker } from '../../../../src/core/calls/budget';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import type { ChatModel, ChatRequest, ChatResult } from '../../../../src/core/contracts/chat-model';
import { models, scripted } from '../../../support/engine';

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
    const gw = new CallGateway({
      models: models(model),
      cache: {},
      stats,
      budget: new BudgetTracker({}),
      emit: () => Promise.resolve(),
      tick: () => undefined,
    });
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
    const gw = new CallGateway({
      models: models(hangs),
      cache: {},
      stats: emptyStats(),
      budget: new BudgetTracker({}),
      emit: () => Promise.resolve(),
      tick: () => undefined,
    });
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

describe('call gateway: a prompt the server cut', () => {
  it('counts calls whose server read far fewer prompt tokens than were sent, with the most cut one', async () => {
    /** Reports reading at most `window` prompt tokens, as a server with that context window would. */
    const windowed = (window: number): ChatModel => ({
      ...scripted(),
      chat: async (req) => {
        const sent = Math.ceil(req.messages.reduce((a, m) => a + m.content.length, 0) / 4);
        return {
          model: 'm',
          choices: [{ text: 'ok', finish_reason: 'stop' }],
          usage: { prompt_tokens: Math.min(sent, window), completion_tokens: 1 },
        };
      },
    });
    const stats = emptyStats();
    const gw = new CallGateway({
      models: models(windowed(2048)),
      cache: {},
      stats,
      budget: new BudgetTracker({}),
      emit: () => Promise.resolve(),
      tick: () => undefined,
    });
    const ask = (chars: number, tag: string) =>
      gw.call('optimizer', { messages: [{ role: 'user', content: `${tag} ${'x'.repeat(chars)}` }], max_tokens: 10 });
    await ask(6_000, 'a'); // about 1 500 tokens: read whole
    await ask(12_000, 'b'); // about 3 000: read 2 048 of them, within a tokenizer's difference
    expect(stats.promptsCut).toBeUndefined();
    await ask(20_000, 'c'); // about 5 000: cut
    await ask(40_000, 'd'); // about 10 000: cut the most
    expect(stats.promptsCut).toEqual({ calls: 2, minRead: 2048, maxRead: 2048, sent: 10_001 });
  });
});

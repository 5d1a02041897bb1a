import { describe, expect, it } from 'vitest';
import { CallGateway, emptyStats } from '../../../../src/core/calls/call-gateway';
import { BudgetTracker } from '../../../../src/core/calls/budget';
import type { ChatModel, ChatRequest, ChatResult } from '../../../../src/core/contracts/chat-model';
import { models, scripted } from '../../../support/engine';

/** A model whose first call fails after a moment; later calls answer. */
function failsFirst(): ChatModel & { calls: number } {
  const inner = scripted();
  const m = {
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    calls: 0,
    async chat(req: ChatRequest): Promise<ChatResult> {
      const n = ++m.calls;
      await new Promise((r) => setTimeout(r, 5));
      if (n === 1) throw new Error('The connection dropped.');
      return inner.chat(req);
    },
  };
  return m;
}

describe('call gateway: identical calls in flight', () => {
  it('joiners of a failed call make one new call between them, not one each', async () => {
    const m = failsFirst();
    const stats = emptyStats();
    const gw = new CallGateway({
      models: models(m),
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
    expect(m.calls).toBe(2);
    expect((third as PromiseFulfilledResult<ChatResult>).value).toEqual(
      (second as PromiseFulfilledResult<ChatResult>).value,
    );
  });
});

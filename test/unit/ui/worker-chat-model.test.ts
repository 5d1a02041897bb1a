import { describe, expect, it } from 'vitest';
import type { ChatResult } from '../../../src/core/contracts/chat-model';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import type { RoleBinding } from '../../../src/core/contracts/run-config';
import type { ChatStreamBatch, PlainChatRequest } from '../../../src/protocol/worker-api';
import { WorkerChatModel, type ChatClient } from '../../../src/ui/helpers/worker-chat-model';

function fake(behaviour: 'ok' | 'hang' | 'fail' = 'ok') {
  const calls: { jobId: string; binding: RoleBinding; req: PlainChatRequest }[] = [];
  const cancelled: string[] = [];
  let reject: ((e: Error) => void) | null = null;
  const client: ChatClient = {
    newJobId: () => `job-${calls.length + 1}`,
    async chat(jobId, binding, req, onStream?: (b: ChatStreamBatch) => void): Promise<ChatResult> {
      calls.push({ jobId, binding, req });
      if (behaviour === 'fail') throw new AppError(ErrorName.Network, 'down');
      if (behaviour === 'hang') await new Promise((_, r) => (reject = r));
      onStream?.({ jobId, text: 'hel', done: false });
      onStream?.({ jobId, text: 'lo', done: false });
      onStream?.({ jobId, text: '', done: true });
      return {
        model: binding.modelId,
        choices: [{ text: 'hello', finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      };
    },
    async cancel(jobId) {
      cancelled.push(jobId);
      reject?.(new AppError(ErrorName.Abort, 'cancelled'));
    },
  };
  return { client, calls, cancelled };
}

const binding: RoleBinding = { engine: 'openai', modelId: 'm1', endpointId: 'ep' };

describe('WorkerChatModel', () => {
  it('sends plain data only and relays streamed text', async () => {
    const f = fake();
    const m = new WorkerChatModel(f.client, binding);
    expect([m.id, m.engine, m.capabilities.jsonSchema]).toEqual(['m1', 'openai', true]);
    const tokens: string[] = [];
    const res = await m.chat({
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      max_tokens: 5,
      seed: 2,
      json: { name: 'x', schema: {} },
      onToken: (t) => tokens.push(t),
    });
    expect(res.choices[0].text).toBe('hello');
    expect(tokens).toEqual(['hel', 'lo']);
    expect(f.calls[0].req).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      max_tokens: 5,
      seed: 2,
      json: { name: 'x', schema: {} },
    });
    expect(f.calls[0].binding).toEqual(binding);
  });

  it('aborting cancels the worker job and rejects with AbortError', async () => {
    const f = fake('hang');
    const m = new WorkerChatModel(f.client, binding);
    const ctrl = new AbortController();
    const p = m.chat({ messages: [{ role: 'user', content: 'hi' }], signal: ctrl.signal });
    await Promise.resolve();
    ctrl.abort();
    await expect(p).rejects.toMatchObject({ name: ErrorName.Abort });
    expect(f.cancelled).toEqual(['job-1']);
    await expect(m.chat({ messages: [], signal: ctrl.signal })).rejects.toMatchObject({ name: ErrorName.Abort });
    expect(f.calls).toHaveLength(1);
  });

  it('passes other failures through by name', async () => {
    const m = new WorkerChatModel(fake('fail').client, binding);
    await expect(m.chat({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      name: ErrorName.Network,
    });
  });
});

/**
 * Issue 11 (2, 3): endpoint replies are read with a byte cap (plain, streamed, error bodies, SSE lines),
 * and every failed attempt is told to the caller as it happens (what counters and "retrying" notes use).
 */
import { describe, expect, it } from 'vitest';
import type { AttemptFailure } from '../../../../src/core/contracts/chat-model';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { readBodyText } from '../../../../src/llm/openai/bounded-body';
import { sseData } from '../../../../src/llm/openai/sse';
import { useScriptedOpenAI } from '../../../support/llm';
import { rejection as failure } from '../../../support/errors';

const env = useScriptedOpenAI();
const ask = { messages: [{ role: 'user' as const, content: 'Explain tides.' }] };
const MB = 1024 * 1024;

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe('bounded replies', () => {
  it('a reply over the cap fails with ReplyTooLarge, once, without reading the rest', async () => {
    env.server.setHugeBytes(256 * MB);
    env.server.setFaults({ mode: 'huge' });
    const t0 = performance.now();
    const err = await failure(env.model({ maxReplyBytes: 2 * MB }).chat(ask));
    expect(err.name).toBe(ErrorName.ReplyTooLarge);
    expect(err.message).toMatch(/larger than 2 MB/);
    // Not retried: the same request would get the same flood.
    expect(env.server.requests).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('the default cap is 8 MB; a reply under it is read', async () => {
    env.server.setHugeBytes(9 * MB);
    env.server.setFaults({ mode: 'huge', times: 1 });
    const err = await failure(env.model().chat(ask));
    expect(err.message).toMatch(/larger than 8 MB/);
    const ok = await env.model().chat(ask);
    expect(ok.choices[0]!.text).toBeTruthy();
  });

  it('a streamed reply: one endless SSE line stops at the line cap', async () => {
    env.server.setHugeBytes(64 * MB);
    env.server.setFaults({ mode: 'huge' });
    const err = await failure(env.model().chat({ ...ask, onToken: () => undefined }));
    expect(err.name).toBe(ErrorName.ReplyTooLarge);
    expect(err.message).toMatch(/a line of a streamed reply larger than 1 MB/);
  });

  it('many small SSE events still stop at the total cap', async () => {
    const line = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(1000) } }] })}\n\n`;
    const fetchImpl: typeof fetch = async () =>
      new Response(streamOf(Array.from({ length: 3000 }, () => line)), {
        headers: { 'Content-Type': 'text/event-stream' },
      });
    const err = await failure(
      env.model({ fetchImpl, maxReplyBytes: 1 * MB }).chat({ ...ask, onToken: () => undefined }),
    );
    expect(err.name).toBe(ErrorName.ReplyTooLarge);
    expect(err.message).toMatch(/a streamed reply larger than 1 MB/);
  });

  it('a declared Content-Length over the cap is refused before reading', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(1024));
      },
    });
    const res = new Response(body, { headers: { 'Content-Length': String(100 * MB) } });
    const err = await failure(readBodyText(res, { maxBytes: MB, url: 'http://x/v1' }));
    expect(err.name).toBe(ErrorName.ReplyTooLarge);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('an error body is cut to its first words, not read whole', async () => {
    const fetchImpl: typeof fetch = async () =>
      new Response(streamOf([`{"error": {"message": "overloaded ${'z'.repeat(200)}`, 'y'.repeat(4 * MB)]), {
        status: 400,
      });
    const err = await failure(env.model({ fetchImpl, maxRetries: 0 }).chat(ask));
    expect(err.name).toBe(ErrorName.Http);
    expect(err.message.length).toBeLessThan(1000);
  });

  it('SSE lines are bounded on their own', async () => {
    const read = async () => {
      for await (const _ of sseData(streamOf(['data: ', 'a'.repeat(5000), 'b'.repeat(5000)]), {
        maxLineChars: 4096,
        url: 'u',
      }));
    };
    await expect(read()).rejects.toMatchObject({ name: ErrorName.ReplyTooLarge });
  });
});

describe('failed attempts are told as they happen', () => {
  it('each retried 500 and the final failure (the very error thrown)', async () => {
    env.server.setFaults({ mode: 'http-500' });
    const seen: AttemptFailure[] = [];
    const err = await failure(env.model({ maxRetries: 2 }).chat({ ...ask, onAttemptFailed: (f) => void seen.push(f) }));
    expect(seen.map((f) => [f.attempt, f.attempts, f.retryInMs === null])).toEqual([
      [1, 3, false],
      [2, 3, false],
      [3, 3, true],
    ]);
    expect(seen.every((f) => f.error.status === 500)).toBe(true);
    expect(seen[2]!.error).toBe(err);
  });

  it('a timeout is reported as the last attempt (the run decides whether to ask again)', async () => {
    env.server.setFaults({ mode: 'timeout' });
    const seen: AttemptFailure[] = [];
    const err = await failure(
      env.model({ timeoutMs: 100 }).chat({ ...ask, onAttemptFailed: (f) => void seen.push(f) }),
    );
    expect(err.name).toBe(ErrorName.Timeout);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ attempt: 1, retryInMs: null });
  });

  it('a cancelled request reports nothing', async () => {
    env.server.setFaults({ mode: 'timeout' });
    const seen: AttemptFailure[] = [];
    const ctrl = new AbortController();
    const p = env.model().chat({ ...ask, signal: ctrl.signal, onAttemptFailed: (f) => void seen.push(f) });
    setTimeout(() => ctrl.abort(), 50);
    expect((await failure(p)).name).toBe(ErrorName.Abort);
    expect(seen).toEqual([]);
  });
});

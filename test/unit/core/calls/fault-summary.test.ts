/** The plain-words fault summary shared by the CLI's final lines and the page's run summary. */
import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import { summarizeFaults } from '../../../../src/core/calls/fault-summary';
import type { SearchNode } from '../../../../src/core/contracts/search-node';

const node = (rewards: (number | null)[]): SearchNode =>
  ({ evaluations: rewards.map((reward) => ({ reward })) }) as unknown as SearchNode;

describe('summarizeFaults', () => {
  it('says nothing about a clean run', () => {
    const f = summarizeFaults({ ...emptyStats(), calls: 40 }, [node([4, 5])]);
    expect(f.lines).toEqual([]);
    expect(f.hints).toEqual([]);
  });

  it('counts each kind and hints at the cause when rates are high', () => {
    const stats = {
      ...emptyStats(),
      calls: 100,
      parseFailures: 30,
      retries: 52,
      endpointErrors: { 'HTTP 500': 52, timeout: 3 },
    };
    const f = summarizeFaults(stats, [
      node([null, 3, null]),
      node(
        Array(71)
          .fill(4)
          .map((x, i) => (i < 22 ? null : x)),
      ),
    ]);
    expect(f.unscored).toBe(24);
    expect(f.answers).toBe(74);
    expect(f.lines).toEqual([
      '30 model replies could not be read (even after asking again).',
      '24 of 74 answers could not be scored; they count as unknown, not as zero.',
      '55 requests to the endpoint failed (HTTP 500 ×52, timeout ×3); 52 attempts repeated.',
    ]);
    expect(f.hints).toEqual([
      "32% of the judge's replies were unreadable: try a larger judge model or logprob scoring.",
      "35% of the requests to the endpoint failed: check the server's logs and load.",
    ]);
  });

  it('says when the server cut prompts, and how to give the model a larger window', () => {
    const cut = { calls: 3, minRead: 1950, maxRead: 2048, sent: 5120 };
    const f = summarizeFaults({ ...emptyStats(), calls: 9, promptsCut: cut }, []);
    expect(f.lines).toEqual([
      '3 prompts were cut short by the server (it read at most 2048 tokens of prompts of up to about 5120): the model answered without seeing all of them.',
    ]);
    expect(f.hints).toEqual([
      "Give the model a larger context window: Ollama: start it with OLLAMA_CONTEXT_LENGTH=8192; llama.cpp's llama-server: -c 8192.",
    ]);
    // One such prompt, or counts far apart (a server counting only what it had not cached): no claim.
    for (const other of [
      { calls: 1, minRead: 2048, maxRead: 2048, sent: 5120 },
      { calls: 6, minRead: 300, maxRead: 2048, sent: 5120 },
    ]) {
      expect(summarizeFaults({ ...emptyStats(), calls: 9, promptsCut: other }, []).lines).toEqual([]);
    }
  });

  it('a few faults are reported without a rate hint', () => {
    const f = summarizeFaults({ ...emptyStats(), calls: 2, endpointErrors: { 'HTTP 401': 1 } }, [node([null])]);
    expect(f.lines).toHaveLength(2);
    expect(f.hints).toEqual([]);
  });
});

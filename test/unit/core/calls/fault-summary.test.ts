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

  it('says when the server cut prompts, and how large a window the model needs', () => {
    const cut = { calls: 3, minRead: 4096, maxRead: 4096, minSent: 5000, maxSent: 7400 };
    const f = summarizeFaults({ ...emptyStats(), calls: 9, promptReads: { optimizer: { most: 4096, cut } } }, []);
    expect(f.lines).toEqual([
      'The server read only the first 4096 tokens of 3 prompts for rewrites (up to about 7400 tokens were sent), so the model answered without seeing them whole.',
    ]);
    expect(f.lines[0]).not.toMatch(/cut short/);
    expect(f.hints).toEqual([
      'Give the model a context window of at least 16384 tokens (Ollama: OLLAMA_CONTEXT_LENGTH=16384; llama-server: -c 16384 for each parallel slot, e.g. -c 65536 --parallel 4), then start a new run (a resume would reuse the answers to those prompts).',
    ]);
    // An evaluation's answers and judgements: no resume to speak of (drpo eval has none).
    const stats = { ...emptyStats(), promptReads: { policy: { most: 4096, cut }, judge: { most: 4096, cut } } };
    const e = summarizeFaults(stats, [], 'evaluation');
    expect(e.lines[0]).toMatch(/^The server read only the first 4096 tokens of 6 prompts for answers and judgements /);
    expect(e.hints[0]).toMatch(/then run the evaluation again from the start\.$/);
  });

  it('a few faults are reported without a rate hint', () => {
    const f = summarizeFaults({ ...emptyStats(), calls: 2, endpointErrors: { 'HTTP 401': 1 } }, [node([null])]);
    expect(f.lines).toHaveLength(2);
    expect(f.hints).toEqual([]);
  });
});

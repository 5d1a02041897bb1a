/** The plain-words fault summary shared by the CLI's final lines and the page's run summary. */
import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import { summarizeFaults } from '../../../../src/core/calls/fault-summary';
import type { RunStats } from '../../../../src/core/contracts/run-events';
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
      'The server read only about 4096 tokens of 3 prompts for rewrites (up to about 7400 tokens were sent), so the model answered without seeing them whole.',
    ]);
    expect(f.lines[0]).not.toMatch(/cut short/);
    expect(f.hints).toEqual([
      'Give the model a context window of at least 16384 tokens (Ollama: OLLAMA_CONTEXT_LENGTH=16384; llama-server: -c 16384 for each parallel slot, e.g. -c 65536 --parallel 4), then start a new run (a resume would reuse the answers to those prompts).',
    ]);
    // An evaluation's answers and judgements: no resume to speak of (drpo eval has none).
    const stats = { ...emptyStats(), promptReads: { policy: { most: 4096, cut }, judge: { most: 4096, cut } } };
    const e = summarizeFaults(stats, [], 'evaluation');
    expect(e.lines[0]).toMatch(/^The server read only about 4096 tokens of 6 prompts for answers and judgements /);
    expect(e.hints[0]).toMatch(/then run the evaluation again from the start\.$/);
  });

  it('counts empty replies, and says which were answers (an empty answer scores 1 unjudged)', () => {
    const line = (emptyReplies: unknown) =>
      summarizeFaults({ ...emptyStats(), calls: 50, emptyReplies } as RunStats, []).lines;
    expect(line({ policy: 1 })).toEqual(['1 answer came back empty (an empty answer scores 1, the lowest).']);
    expect(line({ policy: 12, optimizer: 4 })).toEqual([
      '16 model replies came back empty, 12 of them answers (an empty answer scores 1, the lowest).',
    ]);
    expect(line({ judge: 2 })).toEqual(['2 model replies came back empty.']);
    // A checkpoint is a file anyone can edit: junk is left out, not counted.
    expect(line({ policy: 'x', judge: -3, nope: 5 })).toEqual([]);
  });

  it('a few faults are reported without a rate hint', () => {
    const f = summarizeFaults({ ...emptyStats(), calls: 2, endpointErrors: { 'HTTP 401': 1 } }, [node([null])]);
    expect(f.lines).toHaveLength(2);
    expect(f.hints).toEqual([]);
  });

  it('leaves the failed attempts of an outage out of the failure rate (the outage line explains them)', () => {
    const hints = (outages: RunStats['outages']) =>
      summarizeFaults({ ...emptyStats(), calls: 60, retries: 20, endpointErrors: { network: 20 }, outages }, []).hints;
    const back = { downMs: 9_000, graceMs: 60_000, end: 'back' as const };
    // 20 of 80 requests failed, all while the endpoint was down and waited for: the outage line explains them.
    expect(hints([{ ...back, failures: 20 }])).toEqual([]);
    // Beside the outage, 15 more failed: that rate is still told (15 of 75).
    const more = { ...emptyStats(), calls: 60, endpointErrors: { network: 20, 'HTTP 500': 15 } };
    expect(summarizeFaults({ ...more, outages: [{ ...back, failures: 20 }] }, []).hints).toEqual([
      "20% of the requests to the endpoint failed: check the server's logs and load.",
    ]);
    // One that outlasted its wait too: the requests that only waited failed with it, unsent.
    expect(hints([{ ...back, end: 'gave-up', failures: 20 }])).toEqual([]);
    // An older record without a count: rate as before.
    const rate = ["25% of the requests to the endpoint failed: check the server's logs and load."];
    expect(hints([back])).toEqual(rate);
    expect(hints([{ ...back, failures: 'x' } as unknown as NonNullable<RunStats['outages']>[number]])).toEqual(rate);
  });

  it('names the outages of the endpoint the run waited for, and says when one stopped the run', () => {
    const back = (downMs: number) => ({ downMs, graceMs: 60_000, end: 'back' as const });
    const line = (outages: RunStats['outages'], what: 'run' | 'evaluation' = 'run') =>
      summarizeFaults({ ...emptyStats(), calls: 9, outages }, [], what).lines;
    expect(line([back(11_000), back(30_000)])).toEqual([
      'The endpoint was down 2 times, 41 s in all (longest 30 s); the run waited them out.',
    ]);
    expect(line([back(4_200)], 'evaluation')).toEqual([
      'The endpoint was down once, for 4.2 s; the evaluation waited it out.',
    ]);
    const lost = { downMs: 60_000, graceMs: 60_000, end: 'gave-up' as const };
    expect(line([lost])).toEqual([
      'The endpoint was down once, for 1 min; it did not come back within the outage wait (1 min), which stopped the run.',
    ]);
    // A run resumed after its wait ran out, and waited out the next one.
    expect(line([back(5_000), lost, back(7_000)])).toEqual([
      'The endpoint was down 3 times, 1.2 min in all (longest 1 min); the run waited out 2, and 1 outlasted the outage wait (1 min), which stopped the run.',
    ]);
    // Still open (the run stopped while it waited, or its requests are only now going out again): no end is claimed.
    expect(line([{ downMs: 12_000, graceMs: 60_000, end: 'open' }])).toEqual(['The endpoint was down once, for 12 s.']);
    // Old checkpoints have none; an edited one's junk is left out.
    expect(line(undefined)).toEqual([]);
    expect(line(['x', null, back(2_000)] as unknown as RunStats['outages'])).toEqual([
      'The endpoint was down once, for 2 s; the run waited it out.',
    ]);
    expect(line('x' as unknown as RunStats['outages'])).toEqual([]);
    const junk = [
      { downMs: 3_000, graceMs: 'x', end: 'back' },
      { downMs: 3_000, graceMs: 60_000, end: 'later' },
    ];
    expect(line([...junk, back(2_000)] as unknown as RunStats['outages'])).toEqual([
      'The endpoint was down once, for 2 s; the run waited it out.',
    ]);
    // Two that ran out under different waits (the wait was changed before the resume): neither wait is named.
    expect(line([lost, { ...lost, graceMs: 30_000, downMs: 30_000 }])).toEqual([
      'The endpoint was down 2 times, 1.5 min in all (longest 1 min); 2 outlasted the outage wait, each stopping the run.',
    ]);
  });

  it('names each endpoint by its host when the run was served from more than one', () => {
    const at = (endpoint: unknown, downMs: number, end: 'back' | 'gave-up' = 'back') =>
      ({ downMs, graceMs: 60_000, end, endpoint }) as NonNullable<RunStats['outages']>[number];
    const line = (outages: unknown[]) =>
      summarizeFaults({ ...emptyStats(), calls: 9, outages: outages as RunStats['outages'] }, []).lines;
    expect(
      line([at('127.0.0.1:8080', 11_000), at('gpu.lan:8000', 60_000, 'gave-up'), at('127.0.0.1:8080', 30_000)]),
    ).toEqual([
      'The endpoint at 127.0.0.1:8080 was down 2 times, 41 s in all (longest 30 s); the run waited them out.',
      'The endpoint at gpu.lan:8000 was down once, for 1 min; it did not come back within the outage wait (1 min), which stopped the run.',
    ]);
    // Only one of the two went down: still named, as "the endpoint" would not say which.
    expect(line([at('[::1]:11434', 4_200)])).toEqual([
      'The endpoint at [::1]:11434 was down once, for 4.2 s; the run waited it out.',
    ]);
    // A record from before endpoints were named (a run resumed with a newer version) beside named ones.
    expect(line([at(undefined, 2_000), at('127.0.0.1:8080', 3_000)])).toEqual([
      'An endpoint was down once, for 2 s; the run waited it out.',
      'The endpoint at 127.0.0.1:8080 was down once, for 3 s; the run waited it out.',
    ]);
    // An edited checkpoint's junk is not printed: the record counts, unnamed.
    const junk = [at(42, 1_000), at('evil\n\x1b[2Jline', 1_000), at('x'.repeat(300), 1_000), at('', 1_000)];
    expect(line(junk)).toEqual(['The endpoint was down 4 times, 4 s in all (longest 1 s); the run waited them out.']);
  });
});

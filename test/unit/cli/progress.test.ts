import { describe, expect, it } from 'vitest';
import { describeProjection, ProgressLine } from '../../../src/cli/progress';
import { formatDurationCompact } from '../../../src/core/formats/durations';
import type { Projection, RunEvent, RunStats } from '../../../src/core/contracts/run-events';

const role = { calls: 0, promptTokens: 0, generatedTokens: 0 };
const stats = (calls: number, generatedTokens: number): RunStats => ({
  calls,
  promptTokens: 0,
  generatedTokens,
  perRole: { policy: role, aspect: role, judge: role, optimizer: role },
  elapsedMs: 0,
  parseFailures: 0,
  cachedCalls: 0,
});
const ev = (e: Record<string, unknown>) => ({ runId: 'r', at: 0, ...e }) as RunEvent;

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, s: { isTTY, columns: 200, write: (x: string) => writes.push(x) } };
}

describe('ProgressLine', () => {
  it('writes one line per beam selection when not a terminal', () => {
    let t = 0;
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 5, projectedCalls: 100, now: () => t });
    p.onEvent(
      ev({
        type: 'usage',
        role: 'policy',
        usage: { prompt_tokens: 1, completion_tokens: 1 },
        cached: false,
        stats: stats(10, 1500),
      }),
    );
    expect(writes).toHaveLength(0);
    t = 10_000;
    p.onEvent(
      ev({
        type: 'beam-selected',
        depth: 1,
        nodeIds: ['a'],
        best: { nodeId: 'a', prompt: 'p', reward: 4.25, depth: 1 },
      }),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/depth 1\/5 · best 4\.25 · calls 10\/~100 · tokens 1\.5k · ETA 1m30s\n$/);
    p.finish();
    expect(writes).toHaveLength(1);
  });

  it('redraws in place on a terminal and ends the line on finish', () => {
    const { writes, s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => 0 });
    p.onEvent(ev({ type: 'depth-extended', depth: 1, maxDepth: 4 }));
    expect(writes[0]?.startsWith('\r')).toBe(true);
    expect(writes[0]).toContain('depth 0/4');
    p.finish();
    expect(writes.at(-1)).toBe('\n');
  });
});

describe('waiting is never silent', () => {
  const retry = (attempt: number, retryInMs: number, error: Record<string, unknown>) =>
    ev({ type: 'call-retry', role: 'judge', error, attempt, attempts: 4, retryInMs });

  it('says why and when the next attempt comes, in logs one line per retry', () => {
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => 0 });
    p.onEvent(retry(2, 4000, { name: 'ServerError', message: 'x', status: 500 }));
    p.onEvent(retry(1, 0, { name: 'TimeoutError', message: 'x' }));
    expect(writes).toEqual([
      'the endpoint answered HTTP 500; retry 2 of 3 in 4 s\n',
      'the endpoint did not answer in time; retry 1 of 3 now\n',
    ]);
  });

  it('requests failing together get one note, not one each (a repeat is told again after 2 s)', () => {
    let t = 0;
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => t });
    const http500 = { name: 'ServerError', message: 'x', status: 500 };
    for (let i = 0; i < 10; i++) p.onEvent(retry(1, 100 * i, http500));
    t = 700;
    for (let i = 0; i < 10; i++) p.onEvent(retry(2, 1000 + 100 * i, http500));
    // The same words again, 2 s after they were last told (a finished call between changes nothing).
    p.onEvent(ev({ type: 'usage', role: 'judge', usage: {}, cached: false, stats: stats(1, 5) }));
    t = 2_699;
    p.onEvent(retry(2, 1500, http500));
    t = 2_700;
    p.onEvent(retry(2, 2500, http500));
    // Other words are told at once.
    p.onEvent(retry(1, 0, { name: 'TimeoutError', message: 'x' }));
    expect(writes).toEqual([
      'the endpoint answered HTTP 500; retry 1 of 3 now\n',
      'the endpoint answered HTTP 500; retry 2 of 3 in 1 s\n',
      'the endpoint answered HTTP 500; retry 2 of 3 in 2.5 s\n',
      'the endpoint did not answer in time; retry 1 of 3 now\n',
    ]);
  });

  it('a run served by two endpoints names the one that failed, and the same fault at each is told for each', () => {
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => 0 });
    const http500 = { name: 'ServerError', message: 'x', status: 500 };
    p.onEvent({ ...retry(1, 0, http500), endpoint: '10.0.0.5:8080' } as RunEvent);
    p.onEvent({ ...retry(1, 0, http500), endpoint: '10.0.0.5:8080' } as RunEvent);
    p.onEvent({ ...retry(1, 0, http500), endpoint: 'judge.example:9000' } as RunEvent);
    expect(writes).toEqual([
      'the endpoint at 10.0.0.5:8080 answered HTTP 500; retry 1 of 3 now\n',
      'the endpoint at judge.example:9000 answered HTTP 500; retry 1 of 3 now\n',
    ]);
  });

  it('says how long an endpoint that answered before has been down, and how long it is waited for', () => {
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => 0 });
    const outage = (error: Record<string, unknown>, retryInMs: number, o: Record<string, number>) =>
      ev({ type: 'call-retry', role: 'judge', error, attempt: 1, attempts: 4, retryInMs, outage: o });
    p.onEvent(
      outage({ name: 'ServerError', message: 'x', status: 503 }, 40, { downForMs: 0, graceMs: 60_000, retry: 1 }),
    );
    // Requests in flight together meet the outage together: one line per probe, though their waits differ.
    p.onEvent(outage({ name: 'NetworkError', message: 'x' }, 520, { downForMs: 30, graceMs: 60_000, retry: 1 }));
    p.onEvent(outage({ name: 'NetworkError', message: 'x' }, 4000, { downForMs: 12_300, graceMs: 60_000, retry: 6 }));
    expect(writes).toEqual([
      'the endpoint went down (HTTP 503); it gets up to 1 min to come back (retry 1, next now)\n',
      'the endpoint has been down for 12 s (network); it gets up to 1 min to come back (retry 6, next in 4 s)\n',
    ]);
  });

  it('on a terminal the note rides on the progress line until the next finished call', () => {
    const { writes, s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => 0 });
    p.onEvent(retry(1, 1500, { name: 'NetworkError', message: 'x' }));
    expect(writes.at(-1)).toMatch(/calls 0\/~10 .* · the endpoint could not be reached; retry 1 of 3 in 1\.5 s$/);
    p.onEvent(ev({ type: 'usage', role: 'judge', usage: {}, cached: false, stats: stats(1, 5) }));
    expect(p.line()).not.toMatch(/retry/);
  });

  it('a long silence is reported while it lasts (logs: at 10 s, 20 s, 40 s …)', () => {
    let t = 0;
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => t });
    for (t = 1000; t <= 45_000; t += 1000) p.tick();
    expect(writes).toEqual([
      'waiting for the endpoint (10s)…\n',
      'waiting for the endpoint (20s)…\n',
      'waiting for the endpoint (40s)…\n',
    ]);
    const tty = stream(true);
    const q = new ProgressLine(tty.s, { maxDepth: 3, projectedCalls: 10, now: () => t });
    t += 12_000;
    q.tick();
    expect(tty.writes.at(-1)).toMatch(/waiting for the endpoint \(12s\)$/);
  });
});

describe('formatting', () => {
  it('formats durations and projections', () => {
    expect(formatDurationCompact(5_000)).toBe('5s');
    expect(formatDurationCompact(3_725_000)).toBe('1h02m');
    const p: Projection = {
      calls: 120,
      promptTokens: 0,
      generatedTokens: 45_000,
      perRole: { policy: { ...role, calls: 80 }, aspect: role, judge: { ...role, calls: 40 }, optimizer: role },
    };
    expect(describeProjection(p, 50)).toBe(
      'Projected: about 120 model calls (capped at 50 by --max-calls) (policy 80, judge 40) and 45k generated tokens.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { describeProjection, PIPED_EVERY_MS, ProgressLine, resumedAt } from '../../../src/cli/progress';
import { buildRunConfig } from '../../../src/core/plan/presets';
import type { SearchNode } from '../../../src/core/contracts/search-node';
import { formatDurationCompact } from '../../../src/core/words/durations';
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
    expect(writes[0]).toMatch(
      /search level 1\/5 · path mean 4\.25 \(best so far\) · calls 10\/~100 · ETA 1m30s · tokens 1\.5k\n$/,
    );
    p.finish();
    expect(writes).toHaveLength(1);
  });

  it('redraws in place on a terminal and ends the line on finish', () => {
    const { writes, s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: 3, projectedCalls: 10, now: () => 0 });
    p.onEvent(ev({ type: 'depth-extended', depth: 1, maxDepth: 4 }));
    expect(writes[0]?.startsWith('\r')).toBe(true);
    expect(writes[0]).toContain('level 0/4');
    p.finish();
    expect(writes.at(-1)).toBe('\n');
  });
});

const usage = (calls: number) =>
  ev({ type: 'usage', role: 'judge', usage: {}, cached: false, stats: stats(calls, calls * 100) });
const beam = (depth: number, reward: number) =>
  ev({ type: 'beam-selected', depth, nodeIds: ['a'], best: { nodeId: 'a', prompt: 'p', reward, depth } });
const stage = (s: string) => ev({ type: 'stage-changed', stage: s });
const projection = (calls: number): Projection => ({
  calls,
  promptTokens: 0,
  generatedTokens: 0,
  perRole: { policy: role, aspect: role, judge: role, optimizer: role },
});

describe('every stage has progress', () => {
  it('logs get a line when a stage starts, and per tenth of the examples polished or of the calls the final check has left', () => {
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 1, projectedCalls: 100, examples: 20, heldOut: 12, now: () => 0 });
    p.onEvent(ev({ type: 'run-started', projection: projection(100), preset: 'paper', resumed: false }));
    p.onEvent(stage('icl'));
    for (let i = 0; i < 20; i++) {
      p.onEvent(usage(i + 1));
      p.onEvent(ev({ type: 'icl-updated', index: i, example: { query: 'q', answer: 'a' }, score: 4 }));
    }
    p.onEvent(stage('search'));
    p.onEvent(usage(60));
    p.onEvent(beam(1, 3.5));
    p.onEvent(stage('validation'));
    for (let c = 61; c <= 100; c++) p.onEvent(usage(c));
    p.onEvent(stage('done'));
    const lines = writes.map((w) => w.replace(/^\[[#.]+\] /, '').replace(/ · ETA .*\n$/, ''));
    expect(lines).toEqual([
      'example polishing 0/20 · calls 0/~100',
      'example polishing 2/20 · calls 2/~100',
      'example polishing 4/20 · calls 4/~100',
      'example polishing 6/20 · calls 6/~100',
      'example polishing 8/20 · calls 8/~100',
      'example polishing 10/20 · calls 10/~100',
      'example polishing 12/20 · calls 12/~100',
      'example polishing 14/20 · calls 14/~100',
      'example polishing 16/20 · calls 16/~100',
      'example polishing 18/20 · calls 18/~100',
      'example polishing 20/20 · calls 20/~100',
      'search level 0/1 · path mean – · calls 20/~100',
      'search level 1/1 · path mean 3.50 (best so far) · calls 60/~100',
      // Ten lines of the final check: tenths of the 40 calls left to it, not of the whole run's 100.
      ...[60, 64, 68, 72, 76, 80, 84, 88, 92, 96, 100].map(
        (c) => `final check on 12 held-out questions · calls ${c}/~100`,
      ),
    ]);
  });

  it('on a terminal the line names the stage: the final check does not stay at the last level', () => {
    const { writes, s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: 6, projectedCalls: 155, heldOut: 12, now: () => 0 });
    p.onEvent(stage('search'));
    p.onEvent(beam(6, 3.92));
    expect(writes.at(-1)).toContain('search level 6/6 · path mean 3.92 (best so far)');
    p.onEvent(stage('validation'));
    expect(writes.at(-1)).toMatch(/\] final check on 12 held-out questions · calls 0\/~155/);
    expect(writes.at(-1)).not.toContain('level');
  });

  it('names the search\'s figure as the page does: not a bare "best" to be read as the result', () => {
    const { s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: 5, projectedCalls: 100, now: () => 0 });
    p.onEvent(beam(2, 3.92));
    expect(p.line()).toContain('path mean 3.92 (best so far)');
    expect(p.line()).not.toMatch(/· best \d/);
  });
});

/** The CLI's one-second ticker beating for `ms`, the clock moved by `advance`. */
function beat(p: ProgressLine, ms: number, advance: (ms: number) => void): void {
  for (let i = 0; i < ms / 1_000; i++) {
    advance(1_000);
    p.tick();
  }
}

describe('the bar and ETA run to what the run will really make', () => {
  it('the ETA goes at the pace of awake time: an hour the laptop slept through does not slow it', () => {
    const etaAfter = (sleepMs: number) => {
      let t = 0;
      const { s } = stream(true);
      const p = new ProgressLine(s, { maxDepth: 5, projectedCalls: 100, now: () => t });
      beat(p, 10_000, (ms) => (t += ms));
      t += sleepMs;
      p.tick();
      beat(p, 10_000, (ms) => (t += ms));
      p.onEvent(usage(20));
      return / · ETA (\S+)/.exec(p.line())![1];
    };
    // 20 calls in 20 s: 80 left at a second each.
    expect(etaAfter(0)).toBe('1m20s');
    // Of the sleep only the tick that was due counts (21 s for 20 calls), not the hour.
    expect(etaAfter(60 * 60_000)).toBe('1m24s');
  });

  it('--max-calls below the projection: the run start keeps the cap, and the line says so', () => {
    let t = 0;
    const { s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: 5, projectedCalls: 155, maxCalls: 50, now: () => t });
    p.onEvent(ev({ type: 'run-started', projection: projection(155), preset: 'quick', resumed: false }));
    // 47 s of work, the CLI's heartbeat ticking every second (a gap without ticks would be sleep).
    beat(p, 47_000, (ms) => (t += ms));
    p.onEvent(usage(47));
    expect(p.line()).toMatch(/^\[###########\.\] .* · calls 47\/50 \(capped\) · ETA 3s · tokens 4\.7k$/);
    // A cap above the projection changes nothing.
    const q = new ProgressLine(s, { maxDepth: 5, projectedCalls: 155, maxCalls: 500, now: () => t });
    q.onEvent(ev({ type: 'run-started', projection: projection(155), preset: 'quick', resumed: false }));
    expect(q.line()).toContain('calls 0/~155');
  });

  it('a resume starts from the checkpoint: its extended levels, and an ETA at the pace of new calls only', () => {
    const config = buildRunConfig('quick');
    const s0 = config.settings;
    const node = (id: string, parentId: string | null, depth: number, reward: number, carried = false): SearchNode => ({
      id,
      parentId,
      depth,
      prompt: id,
      evaluations: [],
      reward,
      pathReward: reward,
      carriedForward: carried,
      parseFailures: [],
      createdAt: 0,
    });
    const high = s0.carryForwardThreshold + 0.1;
    const low = s0.carryForwardThreshold - 1;
    // Level 2's best prompt scored above the threshold: carried forward to level 3, one level added.
    const nodes = [
      node('root', null, 0, low),
      node('a', 'root', 1, low),
      node('b', 'a', 2, high),
      node('b2', 'b', 3, high, true),
      // Carried though its parent was low (no usable rewrite): no extension.
      node('c', 'a', 2, low),
      node('c2', 'c', 3, low, true),
      node('d', 'b2', 4, low),
    ];
    const at = resumedAt({ nodes, config, stats: stats(120, 9000) });
    expect(at).toEqual({ calls: 120, tokens: 9000, depth: 3, maxDepth: s0.depth + 1 });

    let t = 0;
    const { s } = stream(true);
    const p = new ProgressLine(s, { maxDepth: s0.depth, projectedCalls: 155, resumed: at, now: () => t });
    expect(p.line()).toContain(`level 3/${s0.depth + 1} · path mean – · calls 120/~155 · ETA – · tokens 9.0k`);
    // Replayed calls come back at once; the ETA waits for new ones, then goes at their pace.
    p.onEvent(ev({ type: 'usage', role: 'judge', usage: {}, cached: true, stats: stats(120, 9000) }));
    expect(p.line()).toContain('ETA –');
    t = 5_000;
    p.onEvent(usage(125));
    expect(p.line()).toContain('calls 125/~155 · ETA 30s');
    // Whatever a checkpoint left unsaid, never past the planned levels.
    p.onEvent(beam(s0.depth + 2, 4));
    expect(p.line()).toContain(`level ${s0.depth + 2}/${s0.depth + 2}`);
  });
});

describe('terminal width', () => {
  it('logs hear of calls made while a level goes, at most every few seconds, not only when it ends', () => {
    let t = 0;
    const { writes, s } = stream(false);
    const p = new ProgressLine(s, { maxDepth: 5, projectedCalls: 155, now: () => t });
    p.onEvent(stage('search'));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/calls 0\/~155 · ETA –/);
    t = 1_000;
    p.onEvent(usage(4));
    expect(writes).toHaveLength(1);
    t = PIPED_EVERY_MS;
    p.onEvent(usage(9));
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatch(/search level 0\/5 · path mean – · calls 9\/~155 · ETA \S+ · tokens 900\n$/);
    expect(writes[1]).not.toMatch(/ETA –/);
    // Throttled: calls a moment later wait for the next few seconds.
    t = PIPED_EVERY_MS + 1_000;
    p.onEvent(usage(12));
    expect(writes).toHaveLength(2);
    t = 2 * PIPED_EVERY_MS;
    p.onEvent(ev({ type: 'depth-extended', depth: 1, maxDepth: 5 }));
    expect(writes).toHaveLength(3);
    expect(writes[2]).toMatch(/calls 12\/~155/);
    // No new call since: nothing to say, however long it has been (the waiting note covers a silence).
    t = 4 * PIPED_EVERY_MS;
    p.onEvent(ev({ type: 'depth-extended', depth: 1, maxDepth: 5 }));
    expect(writes).toHaveLength(3);
  });

  it('a narrow terminal gets the whole fields that fit, never a figure cut in the middle', () => {
    const t = 0;
    const writes: string[] = [];
    const p = new ProgressLine(
      { isTTY: true, columns: 80, write: (x: string) => writes.push(x) },
      { maxDepth: 5, projectedCalls: 155, now: () => t },
    );
    p.onEvent(stage('search'));
    p.onEvent(usage(23));
    p.onEvent(beam(3, 4.25));
    const full = p.line();
    expect(full.length).toBeGreaterThan(79);
    expect(full).toMatch(/ · tokens 2\.3k$/);
    const shown = writes.at(-1)!.replace('\r\x1b[2K', '');
    expect(shown.length).toBeLessThanOrEqual(79);
    expect(shown).not.toMatch(/tokens/);
    // Every field shown is whole: the full line, with fields left out.
    const fields = full.split(' · ');
    expect(shown.split(' · ').every((f) => fields.includes(f))).toBe(true);
    expect(shown).toMatch(/^\[[#.]+\] search level 3\/5 · path mean 4\.25 \(best so far\) · calls 23\/~155/);
  });

  it('a terminal reporting 0 columns is of unknown width, not cut to 20 characters', () => {
    const writes: string[] = [];
    const p = new ProgressLine(
      { isTTY: true, columns: 0, write: (x: string) => writes.push(x) },
      { maxDepth: 5, projectedCalls: 100, now: () => 0 },
    );
    p.onEvent(beam(1, 3));
    expect(writes.at(-1)).toBe(`\r\x1b[2K${p.line()}`);
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

  it('leaves out the time the computer slept from how long the endpoint kept us waiting', () => {
    let t = 0;
    const tty = stream(true);
    const p = new ProgressLine(tty.s, { maxDepth: 3, projectedCalls: 10, now: () => t });
    for (t = 1000; t <= 5_000; t += 1000) p.tick();
    // The lid closes for an hour while a call is out (no tick meanwhile); the call is still out on waking.
    t += 3_600_000;
    p.tick();
    for (let i = 0; i < 7; i++) {
      t += 1000;
      p.tick();
    }
    // Five seconds before the sleep, one beat due across it and seven after: 13 s awake, not "1h00m".
    expect(tty.writes.at(-1)).toMatch(/waiting for the endpoint \(13s\)$/);
    // Logs alike: the first note comes after ten awake seconds, not at once on waking.
    let u = 0;
    const log = stream(false);
    const q = new ProgressLine(log.s, { maxDepth: 3, projectedCalls: 10, now: () => u });
    u += 3_600_000;
    q.tick();
    expect(log.writes).toEqual([]);
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

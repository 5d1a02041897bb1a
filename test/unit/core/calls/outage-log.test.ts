/** One record per outage, also when a run paused during it is resumed in the same session (a new gateway). */
import { describe, expect, it } from 'vitest';
import { OutageLog } from '../../../../src/core/calls/outage-log';
import type { RunStats } from '../../../../src/core/contracts/run-events';

const outage = (since: number, downForMs: number) => ({ since, downForMs, graceMs: 60_000, retry: 1 });

describe('OutageLog', () => {
  it('goes on with the record of an outage a resumed run meets again, instead of adding a second one', () => {
    const stats = { outages: [] } as unknown as RunStats;
    new OutageLog(stats).failed(outage(1_000, 750), 500);
    expect(stats.outages).toEqual([{ since: 1_000, downMs: 750, graceMs: 60_000, end: 'open', failures: 1 }]);
    // Paused mid-outage and resumed: the gateway (and its log) is new, the endpoint's watch and its outage are not.
    const resumed = new OutageLog(stats);
    resumed.failed(outage(1_000, 11_000), 250);
    resumed.over(1_000);
    // Its failed attempts are counted across sessions too (the fault summary leaves them out of the failure rate).
    expect(stats.outages).toEqual([{ since: 1_000, downMs: 11_250, graceMs: 60_000, end: 'back', failures: 2 }]);
    // The next outage is a record of its own.
    resumed.failed(outage(90_000, 0), 500);
    expect(stats.outages).toHaveLength(2);
  });

  it('leaves records without a start (older ones) and finished ones alone', () => {
    const stats = {
      outages: [
        { downMs: 5_000, graceMs: 60_000, end: 'open' },
        { since: 1_000, downMs: 5_000, graceMs: 60_000, end: 'back' },
      ],
    } as unknown as RunStats;
    new OutageLog(stats).failed(outage(1_000, 200), 500);
    expect(stats.outages).toHaveLength(3);
  });

  it('keeps the outages of two endpoints apart, also when they began at the same moment', () => {
    const stats = { outages: [] } as unknown as RunStats;
    const log = new OutageLog(stats);
    log.failed(outage(1_000, 0), 500, 'a:1');
    log.failed(outage(1_000, 0), 500, 'b:2');
    log.failed(outage(1_000, 400), 500, 'a:1');
    log.over(1_000, 'b:2');
    expect(stats.outages).toEqual([
      { since: 1_000, downMs: 400, graceMs: 60_000, end: 'open', failures: 2, endpoint: 'a:1' },
      { since: 1_000, downMs: 500, graceMs: 60_000, end: 'back', failures: 1, endpoint: 'b:2' },
    ]);
    // Resumed in the same session: each endpoint's open outage goes on with its own record.
    const resumed = new OutageLog(stats);
    resumed.failed(outage(1_000, 900), 500, 'a:1');
    resumed.over(1_000, 'a:1');
    expect(stats.outages).toHaveLength(2);
    expect(stats.outages![0]).toMatchObject({ end: 'back', downMs: 1_400, failures: 3 });
  });
});

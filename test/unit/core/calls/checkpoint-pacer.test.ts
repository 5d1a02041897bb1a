/** One rule for when a run and an evaluation write a checkpoint between their own save points. */
import { describe, expect, it } from 'vitest';
import { checkpointPacer } from '../../../../src/core/calls/checkpoint-pacer';
import type { GatewayEvent } from '../../../../src/core/calls/call-gateway';
import { emptyStats } from '../../../../src/core/calls/call-gateway';

const usage = (cached: boolean): GatewayEvent =>
  ({
    type: 'usage',
    role: 'policy',
    usage: { prompt_tokens: 1, completion_tokens: 1 },
    cached,
    stats: emptyStats(),
  }) as GatewayEvent;

describe('checkpointPacer', () => {
  it('writes after enough time or enough new calls, never for cached ones; a save restarts both', async () => {
    let t = 0;
    let writes = 0;
    const p = checkpointPacer({ now: () => t, everyMs: 1000, everyCalls: 3, write: () => void writes++ });
    await p.onCall(usage(false));
    await p.onCall(usage(true));
    await p.onCall(usage(true));
    await p.onCall({ type: 'stage-changed', stage: 'search' } as GatewayEvent);
    expect(writes).toBe(0);
    await p.onCall(usage(false));
    await p.onCall(usage(false)); // the third new call
    expect(writes).toBe(1);
    t = 999;
    await p.onCall(usage(false));
    expect(writes).toBe(1);
    t = 1000;
    await p.onCall(usage(false)); // a second since the last write
    expect(writes).toBe(2);
    await p.save(); // a job's own save point
    t = 1999;
    await p.onCall(usage(false));
    await p.onCall(usage(false));
    expect(writes).toBe(3);
  });

  it('by time only when no call count is given', async () => {
    let t = 0;
    let writes = 0;
    const p = checkpointPacer({ now: () => t, everyMs: 3000, write: () => void writes++ });
    for (let i = 0; i < 50; i++) await p.onCall(usage(false));
    expect(writes).toBe(0);
    t = 3000;
    await p.onCall(usage(false));
    expect(writes).toBe(1);
  });
});

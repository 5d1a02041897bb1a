/** Storage running out mid-run pauses the run (checkpoint kept) instead of failing it. */
import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { AppError, ErrorName } from '../../../../src/core/contracts/errors';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import { models, scripted, smallConfig } from '../../../support/engine';

describe('runDrpo when storage fails', () => {
  it('pauses on QuotaExceededError, reports it, and resumes from the last checkpoint', async () => {
    const config = smallConfig();
    const events: RunEvent[] = [];
    let nodes = 0;
    let last: RunCheckpoint | undefined;
    const first = await runDrpo(
      config,
      { models: models(scripted()) },
      {
        runId: 'quota',
        onEvent: (e) => {
          if (e.type === 'node-evaluated' && ++nodes === 3) {
            throw new AppError(ErrorName.Quota, 'Your browser ran out of storage for DRPO Studio.');
          }
          events.push(e);
        },
        onCheckpoint: (cp) => {
          last = JSON.parse(JSON.stringify(cp)) as RunCheckpoint;
        },
      },
    );
    expect(first.status).toBe('paused');
    const error = events.find((e) => e.type === 'error');
    expect(error && error.type === 'error' && error.error.name).toBe(ErrorName.Quota);
    expect(last).toBeDefined();

    const model = scripted();
    const resumed = await runDrpo(config, { models: models(model) }, { runId: 'quota', checkpoint: last });
    const fresh = await runDrpo(config, { models: models(scripted()) }, { runId: 'quota' });
    expect(resumed.status).toBe('completed');
    expect(resumed.nodes.map((n) => [n.id, n.prompt, n.reward])).toEqual(
      fresh.nodes.map((n) => [n.id, n.prompt, n.reward]),
    );
  });
});

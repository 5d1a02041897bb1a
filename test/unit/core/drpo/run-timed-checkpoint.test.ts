/**
 * Checkpoints come after every scored prompt and also every few seconds while calls finish, so a reload or
 * a closed tab between two scored prompts (a level's answers, the final check's race) repays at most a few
 * seconds of calls; and a resume from such a mid-stage checkpoint repeats none of the calls it holds.
 */
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY_MS, runDrpo } from '../../../../src/core/drpo/run';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import { SYNTHETIC_QUERIES } from '../../../fixtures/scripted-drpo-model';
import { models, scripted, smallConfig } from '../../../support/engine';

const copy = (cp: RunCheckpoint): RunCheckpoint => JSON.parse(JSON.stringify(cp)) as RunCheckpoint;

/** A clock that moves on by `stepMs` with every model call: calls take time, nothing else does. */
function timed(model: ChatModel, stepMs: number) {
  const clock = { t: 0 };
  const slow: ChatModel = Object.assign(Object.create(model) as ChatModel, {
    chat: async (...args: Parameters<ChatModel['chat']>) => {
      clock.t += stepMs;
      return model.chat(...args);
    },
  });
  return { slow, now: () => clock.t };
}

const config = () =>
  smallConfig({
    validationQueries: SYNTHETIC_QUERIES.slice(20, 24),
    settings: { validationSize: 4, validationCandidates: 2 },
  });

describe('timed checkpoints', () => {
  it('are taken between scored prompts when calls take time, and a resume from one repeats none of its calls', async () => {
    const { slow, now } = timed(scripted(), CHECKPOINT_EVERY_MS / 2);
    const checkpoints: RunCheckpoint[] = [];
    const fresh = await runDrpo(
      config(),
      { models: models(slow), now },
      { runId: 'timed', onCheckpoint: (cp) => void checkpoints.push(copy(cp)) },
    );
    expect(fresh.status).toBe('completed');
    // A checkpoint with no more scored prompts than the one before was taken by time.
    const byTime = checkpoints.filter((cp, i) => i > 0 && cp.nodes.length === checkpoints[i - 1]!.nodes.length);
    expect(byTime.length).toBeGreaterThan(5); // 1 without them: the final check's own
    // Resume from the last one taken by time (mid-stage): only the calls it lacks are made.
    const mid = byTime.at(-1)!;
    const model = scripted();
    const resumed = await runDrpo(config(), { models: models(model) }, { runId: 'timed', checkpoint: mid });
    expect(resumed.status).toBe('completed');
    expect(model.callCount()).toBe(fresh.stats.calls - mid.stats.calls);
    expect(resumed.artifact?.systemPrompt).toBe(fresh.artifact?.systemPrompt);
  });

  it('are not taken by time when calls are quick', async () => {
    const { slow, now } = timed(scripted(), 0);
    const checkpoints: RunCheckpoint[] = [];
    await runDrpo(
      config(),
      { models: models(slow), now },
      { runId: 'quick', onCheckpoint: (cp) => void checkpoints.push(copy(cp)) },
    );
    const byTime = checkpoints.filter((cp, i) => i > 0 && cp.nodes.length === checkpoints[i - 1]!.nodes.length);
    // Only the engine's own end-of-stage checkpoints may repeat a node count (the final check's).
    expect(byTime.length).toBeLessThanOrEqual(1);
  });

  it('never hold a prompt whose own event is not out yet (a resume would never store it)', async () => {
    // Broken judge replies: nodes come with parse failures, reported (awaited) before the node's own event,
    // while other calls finish and a checkpoint is due at every one.
    const { slow, now } = timed(scripted({ modes: { brokenJson: ['judge'], brokenShare: 0.6 } }), CHECKPOINT_EVERY_MS);
    const emitted = new Set<string>();
    const early: string[] = [];
    await runDrpo(
      smallConfig({
        validationQueries: SYNTHETIC_QUERIES.slice(20, 24),
        settings: { validationSize: 4, validationCandidates: 2, queriesPerLevel: 3, actions: 3 },
      }),
      { models: models(slow), now, concurrency: 8 },
      {
        runId: 'order',
        onEvent: async (e) => {
          if (e.type === 'node-evaluated') emitted.add(e.node.id);
          // The sink takes its time, as IndexedDB does.
          await new Promise((r) => setTimeout(r, 1));
        },
        onCheckpoint: (cp) => {
          for (const n of cp.nodes) if (!emitted.has(n.id)) early.push(n.id);
        },
      },
    );
    expect(emitted.size).toBeGreaterThan(0);
    expect(early).toEqual([]);
  });
});

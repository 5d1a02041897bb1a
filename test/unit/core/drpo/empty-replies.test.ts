/**
 * An endpoint (or model) that turns to empty replies in the middle of a run: the run fails with EmptyReplies and
 * keeps a checkpoint to resume from, instead of a "no improvement" verdict on answers that were never there.
 */
import { describe, expect, it } from 'vitest';
import { runDrpo } from '../../../../src/core/drpo/run';
import { ErrorName } from '../../../../src/core/contracts/errors';
import type { ChatModel, ChatRequest, ChatResult } from '../../../../src/core/contracts/chat-model';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { RunConfig } from '../../../../src/core/contracts/run-config';
import type { SearchNode } from '../../../../src/core/contracts/search-node';
import { summarizeFaults } from '../../../../src/core/calls/fault-summary';
import { collector, models, scripted, smallConfig } from '../../../support/engine';

/** A model whose replies (every role) turn empty once `broken()` says so; `empties` counts them. */
function breaking(broken: (req: ChatRequest) => boolean, endpoint?: string) {
  const inner = scripted();
  const m = {
    empties: 0,
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    ...(endpoint ? { endpoint } : {}),
    async chat(req: ChatRequest): Promise<ChatResult> {
      const r = await inner.chat(req);
      if (!broken(req)) return r;
      m.empties++;
      return { ...r, choices: r.choices.map((c) => ({ ...c, text: '' })) };
    },
  };
  return m as ChatModel & { empties: number };
}

/** quick-like with a final check of 6 held-out questions (3 race, 3 kept back): 144 calls, 56 of them answers. */
function checkedConfig(): RunConfig {
  const config = smallConfig({ settings: { depth: 6, queriesPerLevel: 2, validationSize: 6, verdictQueries: 3 } });
  config.trainQueries = config.trainQueries.slice(0, 6);
  config.validationQueries = smallConfig()
    .trainQueries.slice(6, 12)
    .map((q) => ({ ...q, id: `v-${q.id}` }));
  return config;
}

const callOf = (message: string) => Number(/at call (\d+)/.exec(message)?.[1]);

const strip = (nodes: readonly SearchNode[]) =>
  nodes.map((n) => ({ ...n, createdAt: 0 })).sort((a, b) => a.id.localeCompare(b.id));

async function run(config: RunConfig, model: ChatModel, checkpoint?: RunCheckpoint, concurrency = 1) {
  let saved: RunCheckpoint | undefined;
  const { events, onEvent } = collector();
  const r = await runDrpo(
    config,
    { models: models(model), concurrency },
    { runId: 'e', checkpoint, onEvent, onCheckpoint: (cp) => void (saved = JSON.parse(JSON.stringify(cp))) },
  );
  const error = events.find((e) => e.type === 'error');
  return { r, events, saved, error: error?.type === 'error' ? error.error : undefined };
}

describe('an endpoint that turns to empty replies mid-run', () => {
  it('fails with the call it began at, keeps a checkpoint without them, and a resume once fixed finishes as if it never broke', async () => {
    const config = checkedConfig();
    const clean = await run(config, scripted());
    expect(clean.r.status).toBe('completed');
    let calls = 0;
    const m = breaking(() => ++calls > 40, '127.0.0.1:8080');
    const broken = await run(config, m);
    expect(broken.r.status).toBe('failed');
    expect(broken.error).toMatchObject({ name: ErrorName.EmptyReplies, retryable: true });
    expect(broken.error!.message).toMatch(
      /^The endpoint began sending empty (answers|replies) at call \d+ \(the last 12 \w+ were all empty/,
    );
    expect(callOf(broken.error!.message)).toBeGreaterThan(40);
    expect(callOf(broken.error!.message)).toBeLessThan(50);
    expect(broken.error!.detail).toMatch(/continue the run: the empty replies are asked again/);
    // The empty replies were counted, and no more were asked for than it took to see it.
    // Every empty reply is counted (the rewrites ran out first here), and no more were asked for than it took.
    expect(broken.r.stats.emptyReplies).toEqual({ policy: 4, optimizer: 12 });
    expect(m.empties).toBe(16);
    expect(summarizeFaults(broken.r.stats, broken.r.nodes).lines).toContain(
      '16 model replies came back empty, 4 of them answers (an empty answer scores 1, the lowest).',
    );
    // The checkpoint holds no empty reply, nor any node built since they began.
    const cp = broken.saved!;
    expect(Object.values(cp.calls).some((c) => !(c as ChatResult).choices[0]?.text.trim())).toBe(false);
    expect(cp.nodes.length).toBeGreaterThan(0);
    expect(cp.nodes.every((n) => n.evaluations.every((e) => e.answer.trim()))).toBe(true);
    // Fixed: the resume asks the empty replies again and reaches the clean run's result.
    const resumed = await run(config, scripted(), cp);
    expect(resumed.r.status).toBe('completed');
    expect(resumed.r.verdict).toEqual(clean.r.verdict);
    expect(strip(resumed.r.nodes)).toEqual(strip(clean.r.nodes));
    // Nodes the failed session reported on empty answers are reported again.
    const again = resumed.events.flatMap((e) => (e.type === 'node-evaluated' ? [e.node.id] : []));
    const kept = new Set(cp.nodes.map((n) => n.id));
    expect(resumed.r.nodes.filter((n) => !kept.has(n.id)).every((n) => again.includes(n.id))).toBe(true);
  });

  it('at 4 calls at once, text replies asked before the break that come after it do not hide its empty replies', async () => {
    const config = checkedConfig();
    const clean = await run(config, scripted());
    // Calls up to #40 answer after 5–35 ms; from #41 on every reply is empty at once, so the first empty replies
    // come back before text replies asked earlier.
    const inner = scripted();
    let calls = 0;
    const m: ChatModel = {
      id: inner.id,
      engine: inner.engine,
      capabilities: inner.capabilities,
      endpoint: '127.0.0.1:8080',
      async chat(req: ChatRequest): Promise<ChatResult> {
        const n = ++calls;
        const r = await inner.chat(req);
        if (n > 40) return { ...r, choices: r.choices.map((c) => ({ ...c, text: '' })) };
        await new Promise((ok) => setTimeout(ok, 5 + ((n * 17) % 31)));
        return r;
      },
    };
    const broken = await run(config, m, undefined, 4);
    expect(broken.r.status).toBe('failed');
    expect(broken.error?.name).toBe(ErrorName.EmptyReplies);
    expect(callOf(broken.error!.message)).toBe(41);
    const cp = broken.saved!;
    expect(Object.values(cp.calls).filter((c) => !(c as ChatResult).choices[0]?.text.trim())).toEqual([]);
    expect(cp.nodes.filter((n) => n.evaluations.some((e) => !e.answer.trim())).map((n) => n.id)).toEqual([]);
    const resumed = await run(config, scripted(), cp, 4);
    expect(resumed.r.status).toBe('completed');
    expect(resumed.r.verdict).toEqual(clean.r.verdict);
    expect(strip(resumed.r.nodes)).toEqual(strip(clean.r.nodes));
  });

  it('a resume from a good checkpoint into an endpoint that sends only empty replies fails the same way', async () => {
    const config = { ...checkedConfig(), budget: { maxCalls: 40 } };
    const first = await run(config, scripted());
    expect(first.r.status).toBe('budget-exhausted');
    const cp = first.saved!;
    const resumed = await run(
      { ...cp.config, budget: {} },
      breaking(() => true),
      { ...cp, config: { ...cp.config, budget: {} } },
    );
    expect(resumed.r.status).toBe('failed');
    expect(resumed.error?.name).toBe(ErrorName.EmptyReplies);
    expect(resumed.error?.message).toMatch(/^The model began giving empty (answers|replies) at call \d+/);
    expect(callOf(resumed.error!.message)).toBeGreaterThan(40);
    expect(resumed.saved!.nodes.length).toBeGreaterThanOrEqual(cp.nodes.length);
  });

  it('empty answers only in the final check: no verdict on them', async () => {
    const config = checkedConfig();
    // The validation questions are answered only in the final check.
    const held = new Set(config.validationQueries.map((q) => q.text));
    const m = breaking((req) => held.has(req.messages[req.messages.length - 1]?.content ?? ''));
    const r = await run(config, m);
    expect(r.r.status).toBe('failed');
    expect(r.error?.name).toBe(ErrorName.EmptyReplies);
    expect(r.error?.message).toMatch(/the final check got not one answer with text/);
  });

  it('a model that gives an empty answer now and then still finishes', async () => {
    let policy = 0;
    const m = breaking((req) => !req.json && ++policy % 3 === 0);
    const r = await run(checkedConfig(), m);
    expect(r.error).toBeUndefined();
    expect(r.r.status).toBe('completed');
    expect(r.r.artifact).not.toBeNull();
    expect(r.r.stats.emptyReplies?.policy).toBe(m.empties);
  });
});

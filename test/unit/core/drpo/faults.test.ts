/**
 * Fault injection on a whole run: a quick DRPO run against the scripted OpenAI-compatible server with 20% of
 * requests failing in every recoverable way must still finish, and every fault must be accounted for:
 * HTTP 429/500 as adapter retries, timeouts and unreadable envelopes as run retries (all in stats.retries,
 * each failed attempt in stats.endpointErrors by kind, each retry announced as a 'call-retry' event),
 * broken or empty JSON content as re-asks and parse failures, never as scores. A server that goes away
 * for good fails the run clearly; once it is back, resuming from the checkpoint repeats no finished call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatModel } from '../../../../src/core/contracts/chat-model';
import { runDrpo } from '../../../../src/core/drpo/run';
import { ErrorName } from '../../../../src/core/contracts/errors';
import { buildRunConfig } from '../../../../src/core/plan/presets';
import { JSON_REMINDER } from '../../../../src/core/drpo/prompts/common';
import type { RunCheckpoint } from '../../../../src/core/contracts/run-api';
import type { Role, RunConfig } from '../../../../src/core/contracts/run-config';
import type { RunEvent } from '../../../../src/core/contracts/run-events';
import type { SearchNode } from '../../../../src/core/contracts/search-node';
import { OpenAICompatibleModel } from '../../../../src/llm/openai/openai-compatible';
import { SYNTHETIC_QUERIES } from '../../../fixtures/scripted-drpo-model';
import { defaultResponder, startScriptedServer } from '../../../fixtures/scripted-server';
import type { FaultMode, RecordedRequest, ScriptedResponder, ScriptedServer } from '../../../fixtures/scripted-server';

const ADAPTER_RETRIED: FaultMode[] = ['http-500', 'http-429'];
const RUN_RETRIED: FaultMode[] = ['malformed-json', 'truncated', 'timeout'];
const CONTENT: FaultMode[] = ['malformed-content', 'empty'];

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Well-formed judgements for the aspects asked about, so every parse failure left must come from a fault. */
const responder: ScriptedResponder = (input) => {
  const body = input.body as Body;
  if (body.response_format?.json_schema?.name !== 'aspect_scores') return defaultResponder(input);
  const user = body.messages?.at(-1)?.content ?? '';
  const names = [...user.slice(user.indexOf('Score the answer')).matchAll(/^- ([^:\n]+):/gm)].map((m) => m[1]);
  const score = 1 + (input.callIndex % 5);
  return JSON.stringify({ scores: names.map((aspect) => ({ aspect, rationale: 'Scripted judgement.', score })) });
};

async function serve(port?: number): Promise<ScriptedServer> {
  const s = await startScriptedServer({ port, retryAfterS: 0, responder });
  servers.push(s);
  return s;
}

function endpointModel(server: ScriptedServer, onRetry: () => void = () => undefined): OpenAICompatibleModel {
  return new OpenAICompatibleModel({
    baseUrl: server.url,
    model: 'scripted-small',
    // Long enough that a healthy reply never times out on a loaded CI machine; only the
    // `timeout` fault (held open by the server) should.
    timeoutMs: 1000,
    maxRetries: 3,
    backoffBaseMs: 1,
    // The adapter waits once before each of its retries: counting the waits counts its retries.
    sleep: async () => void onRetry(),
  });
}

const all = (m: ChatModel): Record<Role, ChatModel> => ({ policy: m, aspect: m, judge: m, optimizer: m });

function config(): RunConfig {
  return buildRunConfig('quick', {
    trainQueries: SYNTHETIC_QUERIES.slice(0, 8),
    validationQueries: [],
    icl: [],
    budget: { maxCalls: 400 },
    roles: { policy: { engine: 'openai', modelId: 'scripted-small', endpointId: 'scripted' } },
    settings: {
      depth: 4,
      beamWidth: 2,
      actions: 2,
      queriesPerLevel: 2,
      validationSize: 0,
      iclRounds: 0,
      logprobScoring: false,
    },
  });
}

type Body = { messages?: { role: string; content: string }[]; response_format?: { json_schema?: { name?: string } } };
const bodyOf = (r: RecordedRequest) => r.body as Body;
const schemaOf = (r: RecordedRequest) => bodyOf(r).response_format?.json_schema?.name;
const isReask = (r: RecordedRequest) => (bodyOf(r).messages?.at(-1)?.content ?? '').endsWith(JSON_REMINDER);
const key = (r: RecordedRequest) => JSON.stringify(r.body);
const count = (reqs: RecordedRequest[], modes: FaultMode[]) =>
  reqs.filter((r) => r.fault !== null && modes.includes(r.fault)).length;

/** The last attempt of each distinct request body decides what the run received for it. */
function outcomes(reqs: RecordedRequest[]): Map<string, RecordedRequest> {
  const last = new Map<string, RecordedRequest>();
  for (const r of reqs) last.set(key(r), r);
  return last;
}

const ALL_MODES = [...ADAPTER_RETRIED, ...RUN_RETRIED, ...CONTENT];

/** One faulty run with the accounting checks; returns how often each mode fired (and broken first replies). */
async function faultyRun(seed: number, concurrency = 1): Promise<Record<string, number>> {
  const server = await serve();
  server.setFaults({ rate: 0.2, modes: ALL_MODES, seed });
  let adapterRetries = 0;
  const events: RunEvent[] = [];
  const result = await runDrpo(
    config(),
    { models: all(endpointModel(server, () => adapterRetries++)), concurrency },
    { runId: `faults-${seed}`, onEvent: (e) => void events.push(e) },
  );

  expect(['completed', 'budget-exhausted']).toContain(result.status);
  expect(events.filter((e) => e.type === 'error')).toEqual([]);
  expect(result.best).not.toBeNull();
  const reqs = server.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(reqs.length).toBe(server.requests.length);

  // Transport faults: each was retried, by the adapter (429/5xx) or by the run (timeout, unreadable body).
  expect(adapterRetries).toBe(count(reqs, ADAPTER_RETRIED));
  // stats.retries counts both kinds of repeat, and every failed attempt is an endpoint error of its kind.
  expect(result.stats.retries ?? 0).toBe(count(reqs, ADAPTER_RETRIED) + count(reqs, RUN_RETRIED));
  const errors = result.stats.endpointErrors ?? {};
  expect(errors).toEqual(
    Object.fromEntries(
      (
        [
          ['HTTP 500', ['http-500']],
          ['HTTP 429', ['http-429']],
          ['unreadable reply', ['malformed-json', 'truncated']],
          ['timeout', ['timeout']],
        ] as [string, FaultMode[]][]
      )
        .map(([kind, modes]) => [kind, count(reqs, modes)])
        .filter(([, n]) => n !== 0),
    ),
  );
  const retryEvents = events.filter((e) => e.type === 'call-retry');
  expect(retryEvents).toHaveLength(result.stats.retries ?? 0);
  expect(reqs.length).toBe(result.stats.calls + count(reqs, ADAPTER_RETRIED) + count(reqs, RUN_RETRIED));

  // Content faults on JSON replies: a first attempt that came back broken is asked again with the reminder.
  const final = [...outcomes(reqs).values()];
  const structured = final.filter((r) => schemaOf(r) !== undefined);
  const brokenFirst = structured.filter((r) => !isReask(r) && count([r], CONTENT) === 1);
  const reasked = new Set(structured.filter(isReask).map((r) => JSON.stringify(bodyOf(r).messages?.slice(0, -1))));
  for (const r of brokenFirst) {
    expect(reasked.has(JSON.stringify(bodyOf(r).messages?.slice(0, -1))), 'broken reply re-asked').toBe(true);
  }

  // A re-ask that came back broken as well is a recorded parse failure; a judge one leaves the reward null.
  const failures = result.nodes.flatMap((n: SearchNode) => n.parseFailures);
  expect(failures.length).toBe(result.stats.parseFailures);
  const brokenTwice = structured.filter((r) => isReask(r) && count([r], CONTENT) === 1);
  expect(failures.length).toBeGreaterThanOrEqual(brokenTwice.length);
  for (const f of failures) expect(f.raw === '' || f.raw.startsWith('{"oops"'), f.raw).toBe(true);
  const evaluations = result.nodes.flatMap((n) => n.evaluations);
  const unjudged = evaluations.filter((e) => e.reward === null);
  expect(unjudged.length).toBe(failures.filter((f) => f.stage === 'judgement').length);
  for (const e of unjudged) expect(e.scores).toEqual([]);
  for (const e of evaluations.filter((x) => x.reward !== null)) {
    expect(e.scores.length).toBeGreaterThan(0);
    for (const s of e.scores) expect(Number.isInteger(s.score) && s.score >= 1 && s.score <= 5).toBe(true);
  }
  expect(events.filter((e) => e.type === 'parse-failure')).toHaveLength(failures.length);

  const seen: Record<string, number> = { brokenFirst: brokenFirst.length, brokenTwice: brokenTwice.length };
  for (const mode of ALL_MODES) seen[mode] = count(reqs, [mode]);
  return seen;
}

describe('runs under 20% recoverable faults', () => {
  it('finish, and every fault is accounted for', { timeout: 90_000 }, async () => {
    const total: Record<string, number> = {};
    // The last two with calls in flight at once: the counts are kept per call, not by position.
    for (const [seed, concurrency] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 4],
      [6, 4],
    ] as const) {
      const seen = await faultyRun(seed, concurrency);
      for (const [k, v] of Object.entries(seen)) total[k] = (total[k] ?? 0) + v;
    }
    // The seeds must exercise every mode (and a broken JSON reply), or the accounting proves little.
    for (const mode of ALL_MODES) expect(total[mode], mode).toBeGreaterThan(0);
    expect(total.brokenFirst).toBeGreaterThan(0);
  });
});

describe('an endpoint that goes down for good', () => {
  it(
    'fails the run clearly; after a restart the run resumes without repeating a finished call',
    {
      timeout: 60_000,
    },
    async () => {
      const first = await serve();
      const cfg = config();
      let checkpoint: RunCheckpoint | null = null;
      const events: RunEvent[] = [];
      let nodes = 0;
      let callsAfter = 0;
      const result = await runDrpo(
        cfg,
        { models: all(endpointModel(first)) },
        {
          runId: 'down-1',
          onEvent: async (e) => {
            events.push(e);
            // Pull the plug one call after the second node (mid-node): the server is gone, not just failing.
            if (e.type === 'node-evaluated') nodes++;
            if (nodes === 2 && e.type === 'usage' && !e.cached && ++callsAfter === 1) await first.close();
          },
          onCheckpoint: (cp) => {
            checkpoint = JSON.parse(JSON.stringify(cp)) as RunCheckpoint;
          },
        },
      );
      expect(result.status).toBe('failed');
      const errors = events.filter((e) => e.type === 'error');
      expect(errors).toHaveLength(1);
      const err = errors[0]!.type === 'error' ? errors[0]!.error : null;
      expect(err?.name).toBe(ErrorName.Network);
      expect(err?.message).toMatch(/Could not reach the model server/);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed' });
      expect(checkpoint).not.toBeNull();
      const saved = checkpoint! as RunCheckpoint;
      expect(saved.nodes).toHaveLength(2);

      // The checkpoint written as the run stopped holds the call finished after the last node too.
      const answered = new Set(first.requests.filter((r) => r.status === 200).map(key));
      expect(Object.keys(saved.calls)).toHaveLength(answered.size);
      const second = await serve(first.port);
      const resumed = await runDrpo(
        cfg,
        { models: all(endpointModel(second)) },
        { runId: 'down-1', checkpoint: saved, onEvent: (e) => void events.push(e) },
      );
      expect(['completed', 'budget-exhausted']).toContain(resumed.status);
      expect(second.requests.length).toBeGreaterThan(0);
      for (const r of second.requests) expect(answered.has(key(r)), 'a finished call was repeated').toBe(false);
      expect(resumed.stats.cachedCalls).toBeGreaterThan(0);
      expect(resumed.nodes.slice(0, 2).map((n) => n.id)).toEqual(saved.nodes.map((n) => n.id));
    },
  );
});

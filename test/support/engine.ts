/** Shared setup for the engine tests (not a test file itself). */
import type { ChatModel, ChatRequest, ChatResult } from '../../src/core/contracts/chat-model';
import { BudgetTracker } from '../../src/core/calls/budget';
import { CallGateway, emptyStats } from '../../src/core/calls/call-gateway';
import type { GatewayOptions } from '../../src/core/calls/call-gateway';
import { buildRunConfig } from '../../src/core/plan/presets';
import type { RunConfigOverrides } from '../../src/core/plan/presets';
import type { Role, RunConfig } from '../../src/core/contracts/run-config';
import type { RunStats } from '../../src/core/contracts/run-events';
import type { RunEvent } from '../../src/core/contracts/run-events';
import { ScriptedDrpoModel, SYNTHETIC_QUERIES } from '../fixtures/scripted-drpo-model';
import type { ScriptedOptions } from '../fixtures/scripted-drpo-model';

export function models(m: ChatModel): Record<Role, ChatModel> {
  return { policy: m, aspect: m, judge: m, optimizer: m };
}

/** A call gateway with every role on `model`, no budget and no listener, unless `o` says otherwise. */
export function gatewayFor(model: ChatModel, o: Partial<GatewayOptions> = {}): CallGateway {
  return new CallGateway({
    models: models(model),
    cache: {},
    stats: emptyStats(),
    budget: new BudgetTracker({}),
    emit: () => Promise.resolve(),
    tick: () => undefined,
    ...o,
  });
}

/** A small, fast search: 3 levels, beam 2, 2 actions, 1 query per level. */
export function smallConfig(overrides: RunConfigOverrides = {}): RunConfig {
  return buildRunConfig('quick', {
    trainQueries: SYNTHETIC_QUERIES.slice(0, 12),
    validationQueries: [],
    ...overrides,
    settings: {
      depth: 3,
      beamWidth: 2,
      actions: 2,
      queriesPerLevel: 1,
      validationSize: 0,
      logprobScoring: false,
      ...(overrides.settings ?? {}),
    },
  });
}

export function scripted(opts: ScriptedOptions = {}): ScriptedDrpoModel {
  return new ScriptedDrpoModel(opts);
}

export function collector(): { events: RunEvent[]; onEvent: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, onEvent: (e) => void events.push(e) };
}

/** Wraps a model so the judge always gives every listed aspect a 5. */
export function perfectJudge(inner: ChatModel): ChatModel {
  return {
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    async chat(req: ChatRequest): Promise<ChatResult> {
      if (req.json?.name !== 'aspect_scores') return inner.chat(req);
      const user = req.messages[req.messages.length - 1]!.content;
      const names = [...user.slice(user.indexOf('Score the answer')).matchAll(/^- ([^:\n]+):/gm)].map((m) => m[1]);
      const text = JSON.stringify({ scores: names.map((aspect) => ({ aspect, rationale: 'Excellent.', score: 5 })) });
      return {
        model: inner.id,
        choices: [{ text, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10 },
      };
    },
  };
}

/** A fixed clock advancing by `step` ms per reading (deterministic createdAt and time budgets). */
export function fakeClock(step = 1): () => number {
  let t = 1_700_000_000_000;
  return () => (t += step);
}

/** The text between the fence that follows `label` (the judge sees "Query:" and "Answer:" fenced). */
export function fenced(text: string, label: string): string {
  const i = text.indexOf(`${label}\n<<<\n`);
  if (i < 0) return '';
  const from = i + label.length + 5;
  const to = text.indexOf('\n>>>', from);
  return text.slice(from, to < 0 ? undefined : to);
}

export interface Steering {
  /** Judge: the score every selected aspect gets for this answer. */
  judge?: (answer: string, query: string) => number;
  /** Policy: rewrite the inner model's answer, knowing the system message it was given. */
  policy?: (answer: string, system: string) => string;
}

/**
 * Wraps a model so a test decides what the judge thinks and what the policy writes; every other
 * call passes through. Deterministic, so selection rules can be tested exactly.
 */
export function steered(inner: ChatModel, steer: Steering): ChatModel {
  return {
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    async chat(req: ChatRequest): Promise<ChatResult> {
      const user = req.messages[req.messages.length - 1]!.content;
      if (req.json?.name === 'aspect_scores' && steer.judge) {
        const names = [...user.slice(user.indexOf('Score the answer')).matchAll(/^- ([^:\n]+):/gm)].map((m) => m[1]);
        const score = steer.judge(fenced(user, 'Answer:'), fenced(user, 'Query:'));
        const text = JSON.stringify({ scores: names.map((aspect) => ({ aspect, rationale: 'Steered.', score })) });
        return {
          model: inner.id,
          choices: [{ text, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10 },
        };
      }
      const res = await inner.chat(req);
      if (!req.json && steer.policy) {
        const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
        return { ...res, choices: res.choices.map((c) => ({ ...c, text: steer.policy!(c.text, system) })) };
      }
      return res;
    },
  };
}

/**
 * Wraps a model so calls finish in a scrambled order (a delay of 0–4 ms chosen by the request's
 * content), and records how many calls were in flight at once.
 */
export function jittered(inner: ChatModel): ChatModel & { maxInFlight: number } {
  let inFlight = 0;
  const wrapper = {
    id: inner.id,
    engine: inner.engine,
    capabilities: inner.capabilities,
    maxInFlight: 0,
    async chat(req: ChatRequest): Promise<ChatResult> {
      inFlight++;
      wrapper.maxInFlight = Math.max(wrapper.maxInFlight, inFlight);
      try {
        const text = JSON.stringify(req.messages);
        let h = 0;
        for (let i = 0; i < text.length; i += 7) h = (h * 31 + text.charCodeAt(i)) >>> 0;
        await new Promise((r) => setTimeout(r, h % 5));
        return await inner.chat(req);
      } finally {
        inFlight--;
      }
    },
  };
  return wrapper;
}

/** Every concurrent stage in a small run: example polishing, levels of two queries, the final check on 6 held out. */
export function everyStageConfig(): RunConfig {
  const c = smallConfig({
    icl: SYNTHETIC_QUERIES.slice(0, 4).map((q) => ({ query: q.text, answer: 'A short draft. I hope this helps.' })),
    settings: { iclRounds: 1, queriesPerLevel: 2, validationSize: 4, inferenceExampleOptions: [0, 2] },
  });
  c.validationQueries = SYNTHETIC_QUERIES.slice(20, 26).map((q) => ({ ...q, id: `v-${q.id}` }));
  return c;
}

/** The counters a resume must reproduce (elapsed time is a clock reading, not a count). */
export function resumeCounts(s: RunStats) {
  return {
    calls: s.calls,
    cachedCalls: s.cachedCalls,
    promptTokens: s.promptTokens,
    generatedTokens: s.generatedTokens,
    perRole: s.perRole,
    parseFailures: s.parseFailures,
  };
}

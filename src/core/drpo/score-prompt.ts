/**
 * Scoring one prompt on one query: the policy answers, the aspect role picks what matters for the
 * query (once per query), the judge scores each aspect. Parse failures are reported, never scored.
 */
import type { ChatRequest, CompletionRequest } from '../contracts/chat-model';
import { deriveSeed } from '../data/random';
import { jobWidth, type AspectChoice, type RunCtx } from './run-context';
import { settleBoth } from '../calls/parallel';
import { structuredCall } from '../calls/structured-call';
import { buildChatMessages, buildCompletionPrompt, cleanCompletion } from './templates';
import { ASPECT_SCHEMA, aspectMessages, parseAspects } from './prompts/aspect-selection';
import { judgeSchema, expectedScoresFromLogprobs, judgeMessages, mean, parseJudgement } from './prompts/judge';
import type { AspectScore, ParseFailure, QueryEvaluation, SelectedAspect } from '../contracts/search-node';
import type { IclExample, Query } from '../contracts/run-config';

/** Used when aspect selection fails twice: a broad, always-sensible reward. */
export const FALLBACK_ASPECTS: SelectedAspect[] = [
  { name: 'Helpfulness', reason: 'default (aspect selection could not be read)' },
  { name: 'Clarity', reason: 'default (aspect selection could not be read)' },
  { name: 'Factuality', reason: 'default (aspect selection could not be read)' },
];

export function selectAspects(ctx: RunCtx, query: string): Promise<AspectChoice> {
  let memo = ctx.aspectMemo.get(query);
  if (!memo) {
    memo = (async (): Promise<AspectChoice> => {
      const req: ChatRequest = {
        messages: aspectMessages(query, ctx.catalog, ctx.s.maxAspects),
        temperature: 0,
        max_tokens: ctx.s.maxTokens.aspect,
        seed: deriveSeed(ctx.config.seed, 'aspect'),
        json: ASPECT_SCHEMA,
      };
      const r = await structuredCall(ctx.gw, 'aspect', 'aspects', req, (obj) =>
        parseAspects(obj, ctx.catalog, ctx.s.maxAspects),
      );
      return r.ok ? { aspects: r.value } : { aspects: FALLBACK_ASPECTS, failure: r.failure };
    })();
    ctx.aspectMemo.set(query, memo);
    // A failed call (abort, budget) must not poison the memo for a resumed attempt.
    memo.catch(() => ctx.aspectMemo.delete(query));
  }
  return memo;
}

/**
 * Asks for a query's aspects ahead of need (parallel calls only). Failures surface where the choice is used;
 * the call is kept in `ctx.prefetches` so the run's end, success or failure, waits for it: no call outlives the run.
 */
export function prefetchAspects(ctx: RunCtx, query: string): void {
  const call = selectAspects(ctx, query).then(
    () => undefined,
    () => undefined,
  );
  ctx.prefetches.add(call);
  void call.then(() => ctx.prefetches.delete(call));
}

/** Waits until no aspect prefetch is in flight. */
export async function settlePrefetches(ctx: Pick<RunCtx, 'prefetches'>): Promise<void> {
  while (ctx.prefetches.size > 0) await Promise.all([...ctx.prefetches]);
}

export interface Answer {
  text: string;
  finishReason: string;
}

export async function generateAnswer(
  ctx: RunCtx,
  prompt: string,
  examples: readonly IclExample[],
  query: string,
): Promise<Answer> {
  const params = {
    temperature: ctx.s.policyTemperature,
    max_tokens: ctx.s.maxTokens.policy,
    seed: deriveSeed(ctx.config.seed, 'policy'),
  };
  const t = ctx.template;
  if (t.kind === 'completion' && ctx.models.policy.complete) {
    const req: CompletionRequest = {
      ...params,
      prompt: buildCompletionPrompt(t, prompt, examples, query),
      stop: t.stop,
    };
    const r = await ctx.gw.call('policy', req, { completion: true });
    const c = r.choices[0];
    return { text: cleanCompletion(t, c?.text ?? ''), finishReason: c?.finish_reason ?? 'other' };
  }
  const r = await ctx.gw.call('policy', { ...params, messages: buildChatMessages(prompt, examples, query) });
  const c = r.choices[0];
  return { text: (c?.text ?? '').trim(), finishReason: c?.finish_reason ?? 'other' };
}

export type Judged = { ok: true; scores: AspectScore[] } | { ok: false; failure: ParseFailure };

export async function judgeAnswer(
  ctx: RunCtx,
  query: string,
  answer: Answer,
  aspects: SelectedAspect[],
  stage = 'judgement',
): Promise<Judged> {
  // An empty answer earns the lowest score without spending a judge call.
  if (!answer.text.trim()) {
    return { ok: true, scores: aspects.map((a) => ({ aspect: a.name, score: 1, rationale: 'No answer was given.' })) };
  }
  const logprobs = ctx.s.logprobScoring && ctx.models.judge.capabilities.logprobs;
  const req: ChatRequest = {
    messages: judgeMessages(
      {
        query,
        answer: answer.text,
        aspects,
        truncated: answer.finishReason === 'length',
        shortRationales: ctx.s.shortRationales === true || logprobs,
      },
      ctx.catalog,
    ),
    temperature: ctx.s.judgeTemperature,
    max_tokens: ctx.s.maxTokens.judge,
    seed: deriveSeed(ctx.config.seed, 'judge'),
    json: judgeSchema(aspects),
  };
  if (logprobs) {
    req.logprobs = true;
    req.top_logprobs = 5;
  }
  const r = await structuredCall(ctx.gw, 'judge', stage, req, (obj, choice) =>
    parseJudgement(obj, aspects, logprobs ? expectedScoresFromLogprobs(choice.logprobs) : null),
  );
  return r.ok ? { ok: true, scores: r.value } : { ok: false, failure: r.failure };
}

export interface EvalOutcome {
  evaluation: QueryEvaluation;
  /** Failures of this evaluation's own calls. */
  failures: ParseFailure[];
  /** The query's aspect selection failed (shared by every evaluation of the query; reported once). */
  aspectFailure?: ParseFailure;
}

/**
 * The failures to report for an outcome, in commit order: an aspect-selection failure goes with the
 * first evaluation of its query that is committed (deterministic at any concurrency), never again.
 */
export function takeFailures(
  ctx: RunCtx,
  query: string,
  out: Pick<EvalOutcome, 'failures' | 'aspectFailure'>,
): ParseFailure[] {
  if (!out.aspectFailure || ctx.aspectFailuresReported.has(query)) return out.failures;
  ctx.aspectFailuresReported.add(query);
  return [out.aspectFailure, ...out.failures];
}

export async function evaluatePrompt(
  ctx: RunCtx,
  prompt: string,
  examples: readonly IclExample[],
  query: Query,
): Promise<EvalOutcome> {
  // What matters for the query does not depend on the answer: with room for parallel calls, ask both
  // at once (one call at a time stays strictly sequential). When one fails, the other still finishes first.
  const [answer, choice] =
    jobWidth(ctx) > 1
      ? await settleBoth(generateAnswer(ctx, prompt, examples, query.text), selectAspects(ctx, query.text))
      : [await generateAnswer(ctx, prompt, examples, query.text), await selectAspects(ctx, query.text)];
  const failures: ParseFailure[] = [];
  const judged = await judgeAnswer(ctx, query.text, answer, choice.aspects);
  if (!judged.ok) failures.push(judged.failure);
  const scores = judged.ok ? judged.scores : [];
  return {
    evaluation: {
      queryId: query.id,
      query: query.text,
      answer: answer.text,
      finishReason: answer.finishReason,
      aspects: choice.aspects,
      scores,
      reward: judged.ok ? mean(scores.map((s) => s.score)) : null,
    },
    failures,
    ...(choice.failure ? { aspectFailure: choice.failure } : {}),
  };
}

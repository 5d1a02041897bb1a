/**
 * Stage 1: polish each seed answer. Per seed: pick aspects, judge the answer, then up to `iclRounds`
 * times rewrite it from the critique and judge again, keeping a rewrite that scores at least as well.
 * Stops early once every aspect scores 5. A seed whose judgement cannot be read is kept as is.
 */
import type { ChatRequest } from '../contracts/chat-model';
import { judgeAnswer, selectAspects, takeFailures } from './score-prompt';
import { mean } from './prompts/judge';
import { ICL_REWRITE_SCHEMA, iclRewriteMessages, parseIclRewrite } from './prompts/icl-rewrite';
import { deriveSeed } from '../data/random';
import type { RunCtx } from './run-context';
import { structuredCall } from '../calls/structured-call';
import type { AspectScore, ParseFailure } from '../contracts/search-node';
import type { IclExample } from '../contracts/run-config';
import { mapOrdered } from '../calls/parallel';
import { polishCost } from './job-costs';

export async function runIclStage(
  ctx: RunCtx,
  seeds: readonly IclExample[],
  afterExample?: () => Promise<void>,
): Promise<IclExample[]> {
  const out: IclExample[] = [];
  // Examples are independent: polished concurrently, reported and checkpointed in order.
  await mapOrdered(
    seeds,
    ctx.concurrency,
    (seed, index) => polishExample(ctx, seed, index),
    async (improved, seed, index) => {
      for (const f of takeFailures(ctx, seed.query, improved)) await ctx.recordFailure(f);
      out.push(improved.example);
      await ctx.emit({ type: 'icl-updated', index, example: improved.example, score: improved.score ?? 0 });
      await afterExample?.();
    },
    ctx.gate?.admission(() => polishCost(ctx.s)),
  );
  return out;
}

interface Polished {
  example: IclExample;
  score: number | null;
  /** In the order they happened; reported when the example is committed (after the aspect failure). */
  failures: ParseFailure[];
  /** The query's aspect selection failed (reported once per query, as in scoring). */
  aspectFailure?: ParseFailure;
}

async function polishExample(ctx: RunCtx, seed: IclExample, index: number): Promise<Polished> {
  const failures: ParseFailure[] = [];
  const { aspects, failure } = await selectAspects(ctx, seed.query);
  const done = (example: IclExample, score: number | null): Polished => ({
    example,
    score,
    failures,
    ...(failure ? { aspectFailure: failure } : {}),
  });
  const first = await judgeAnswer(
    ctx,
    seed.query,
    { text: seed.answer, finishReason: 'stop' },
    aspects,
    'icl-judgement',
  );
  if (!first.ok) {
    failures.push(first.failure);
    return done(seed, null);
  }
  let best: { answer: string; scores: AspectScore[]; score: number } = {
    answer: seed.answer,
    scores: first.scores,
    score: mean(first.scores.map((s) => s.score)) ?? 0,
  };
  for (let round = 0; round < ctx.s.iclRounds; round++) {
    if (best.scores.every((s) => s.score >= 5)) break;
    const req: ChatRequest = {
      messages: iclRewriteMessages(seed.query, best.answer, best.scores),
      temperature: 0,
      max_tokens: ctx.s.maxTokens.optimizer,
      seed: deriveSeed(ctx.config.seed, 'icl', index, round),
      json: ICL_REWRITE_SCHEMA,
    };
    const rewrite = await structuredCall(ctx.gw, 'optimizer', 'icl-rewrite', req, (obj) => {
      const answer = parseIclRewrite(obj);
      return answer ? { answer } : 'no answer in the reply';
    });
    if (!rewrite.ok) {
      failures.push(rewrite.failure);
      break;
    }
    const judged = await judgeAnswer(
      ctx,
      seed.query,
      { text: rewrite.value.answer, finishReason: 'stop' },
      aspects,
      'icl-judgement',
    );
    if (!judged.ok) {
      failures.push(judged.failure);
      continue;
    }
    const score = mean(judged.scores.map((s) => s.score)) ?? 0;
    if (score >= best.score) best = { answer: rewrite.value.answer, scores: judged.scores, score };
  }
  return done({ query: seed.query, answer: best.answer }, best.score);
}

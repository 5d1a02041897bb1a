/**
 * Policy answers for evaluation, cached by (candidate label, query id) so pairwise comparisons
 * and re-judging reuse them instead of generating again.
 */
import type { CallGateway } from '../calls/call-gateway';
import type { ChatMessage } from '../contracts/chat-model';
import { createRetriever, type Retriever } from '../drpo/retrieval';
import { buildChatMessages } from '../drpo/templates';
import { DEFAULT_INFERENCE_EXAMPLES } from '../words/verdict-text';
import type { IclExample, Query } from '../contracts/run-config';
import type { EvalCandidate, EvalReport, QueryKind } from './eval-types';

export interface CachedAnswer {
  text: string;
  finishReason: string;
}

const UNSAFE_CATEGORIES = new Set(['unsafe', 'harmful', 'safety', 'red-team']);

/** Our 'unsafe' category and just-eval's 'harmful'/'safety' split are judged on Safety only. */
export function queryKind(q: Query): QueryKind {
  return q.category && UNSAFE_CATEGORIES.has(q.category.trim().toLowerCase()) ? 'unsafe' : 'regular';
}

export class AnswerCache {
  private readonly map = new Map<string, CachedAnswer>();

  private static key(label: string, queryId: string): string {
    return JSON.stringify([label, queryId]);
  }
  get(label: string, queryId: string): CachedAnswer | undefined {
    return this.map.get(AnswerCache.key(label, queryId));
  }
  set(label: string, queryId: string, answer: CachedAnswer): void {
    this.map.set(AnswerCache.key(label, queryId), answer);
  }
  get size(): number {
    return this.map.size;
  }

  /** Rebuild from a stored report, so pairwise judging never needs the policy model again. */
  static fromReport(report: EvalReport): AnswerCache {
    const cache = new AnswerCache();
    for (const c of report.candidates)
      for (const r of c.rows) cache.set(c.label, r.queryId, { text: r.answer, finishReason: r.finishReason });
    return cache;
  }
}

/** One BM25 retriever per example pool (the same retrieval the engine uses without embeddings). */
const retrievers = new WeakMap<readonly IclExample[], Retriever>();

/** Messages exactly as an alignment is applied at inference: prompt + retrieved examples, then the query. */
export async function policyMessages(candidate: EvalCandidate, query: string, iclK: number): Promise<ChatMessage[]> {
  const pool = candidate.icl ?? [];
  let examples: IclExample[] = [];
  if (pool.length > 0 && iclK > 0) {
    let r = retrievers.get(pool);
    if (!r) retrievers.set(pool, (r = createRetriever(pool)));
    examples = await r.retrieve(query, iclK);
  }
  return buildChatMessages(candidate.systemPrompt ?? '', examples, query);
}

export interface AnswerOptions {
  /** The call pipeline (eval-calls.ts): cancellation, cache and counters come with it. */
  gateway: CallGateway;
  seed: number;
  maxTokens: number;
  /** The job's examples per query, for candidates that carry no count of their own. */
  iclK?: number;
}

export async function answerQuery(
  cache: AnswerCache,
  candidate: EvalCandidate,
  query: Query,
  opts: AnswerOptions,
): Promise<CachedAnswer> {
  const hit = cache.get(candidate.label, query.id);
  if (hit) return hit;
  const res = await opts.gateway.call('policy', {
    // One rule for scoring and pairwise: the candidate's own count, else the job's, else the default.
    messages: await policyMessages(candidate, query.text, candidate.iclK ?? opts.iclK ?? DEFAULT_INFERENCE_EXAMPLES),
    temperature: 0,
    max_tokens: opts.maxTokens,
    seed: opts.seed,
  });
  const choice = res.choices[0];
  const answer: CachedAnswer = { text: choice?.text.trim() ?? '', finishReason: choice?.finish_reason ?? 'other' };
  cache.set(candidate.label, query.id, answer);
  return answer;
}

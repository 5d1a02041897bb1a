/** Stage 1: rewrite a seed answer so it satisfies the judge's critique. */
import type { ChatMessage, StructuredOutput } from '../../contracts/chat-model';
import type { JsonObject } from '../../calls/json-repair';
import { str } from '../../calls/json-repair';
import type { AspectScore } from '../../contracts/search-node';
import { fence, objectSchema, STRING_FIELD } from './common';

export const ICL_REWRITE_SCHEMA: StructuredOutput = {
  name: 'answer_rewrite',
  schema: objectSchema({ answer: STRING_FIELD }),
};

export function iclRewriteMessages(query: string, answer: string, scores: AspectScore[]): ChatMessage[] {
  const critique = scores.map((s) => `- ${s.aspect} ${s.score}/5: ${s.rationale}`).join('\n');
  return [
    {
      role: 'system',
      content: 'You rewrite answers of an AI assistant so they earn top marks from a strict reviewer.',
    },
    {
      role: 'user',
      content: `Query:\n${fence(query)}\n\nCurrent answer:\n${fence(answer)}\n\nReview:\n${critique}\n\nRewrite the answer to fix every point of the review and keep what already works. If the query is harmful, refuse kindly and offer safe, useful help instead.\nReply with JSON only: {"answer": "..."}`,
    },
  ];
}

export function parseIclRewrite(obj: JsonObject): string {
  return str(obj.answer ?? obj.new_answer ?? obj.rewritten_answer);
}

/**
 * The optimizer turns feedback into a better, general system prompt. Rules follow the DRPO paper:
 * general not query-specific, state the assistant's limitations, sound human, few new bullets per step.
 */
import type { ChatMessage, StructuredOutput } from '../../contracts/chat-model';
import type { JsonObject } from '../../calls/json-repair';
import { str } from '../../calls/json-repair';
import type { QueryEvaluation } from '../../contracts/search-node';
import { clip, fence, objectSchema, STRING_FIELD } from './common';

export const OPTIMIZER_SCHEMA: StructuredOutput = {
  name: 'prompt_rewrite',
  schema: objectSchema({ analysis: STRING_FIELD, thought: STRING_FIELD, new_system_prompt: STRING_FIELD }),
};

/** Answers shown to the optimizer are clipped: the scores and rationales carry the signal. */
export const OPTIMIZER_ANSWER_CHARS = 1200;
/** All answers shown together stay within this, so more reviews do not overflow a small context window. */
export const OPTIMIZER_ANSWERS_TOTAL_CHARS = 4800;
const MIN_ANSWER_CHARS = 300;
export const MAX_PROMPT_CHARS = 6000;

export interface OptimizerInput {
  prompt: string;
  /** Earlier prompts on the path, oldest first (excluding the current one). */
  history: string[];
  evaluations: QueryEvaluation[];
  maxNewBullets: number;
  maxBullets: number;
}

export function describeEvaluation(e: QueryEvaluation, i: number, answerChars = OPTIMIZER_ANSWER_CHARS): string {
  const scores = e.scores.length
    ? e.scores.map((s) => `- ${s.aspect} ${round1(s.score)}/5: ${s.rationale || '(no reason given)'}`).join('\n')
    : '- (the reviewer reply could not be read)';
  const cut = e.finishReason === 'length' ? ' (cut off by the length limit)' : '';
  return `## Example ${i + 1}\nQuery:\n${fence(clip(e.query, 800))}\nAnswer${cut}:\n${fence(clip(e.answer || '(empty)', answerChars))}\nReview:\n${scores}`;
}

function round1(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export function optimizerMessages(input: OptimizerInput): ChatMessage[] {
  const history = input.history.length
    ? `Earlier versions, oldest first:\n${input.history.map((p, i) => `${i + 1}. ${fence(p)}`).join('\n')}\n\n`
    : '';
  const n = Math.max(1, input.evaluations.length);
  const answerChars = Math.max(
    MIN_ANSWER_CHARS,
    Math.min(OPTIMIZER_ANSWER_CHARS, Math.floor(OPTIMIZER_ANSWERS_TOTAL_CHARS / n)),
  );
  const examples = input.evaluations.map((e, i) => describeEvaluation(e, i, answerChars)).join('\n\n');
  return [
    { role: 'system', content: 'You improve the system prompt of an AI assistant using reviews of its answers.' },
    {
      role: 'user',
      content: `Current system prompt:\n${fence(input.prompt)}\n\n${history}How the assistant did with it:\n${examples}\n\nWrite an improved system prompt that would raise these scores on any future query:
- One or two general sentences first, then bullet points.
- Stay general: never mention these particular queries or topics.
- It must say the assistant has no internet or real-time data, cannot act in the physical world, and declines harmful requests kindly while offering safe help.
- Include advice for sounding warm and human, not robotic.
- Add at most ${input.maxNewBullets} new bullets, at most ${input.maxBullets} bullets in total; merge overlapping bullets rather than dropping useful ones.
Reply with JSON only: {"analysis": "what held the scores back, briefly", "thought": "how to fix it", "new_system_prompt": "..."}`,
    },
  ];
}

export interface OptimizerOutput {
  analysis: string;
  thought: string;
  prompt: string;
}

const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/;

/** Keeps the first `max` bullet lines; other lines stay. The optimizer is told the limit; this enforces it. */
export function capBullets(prompt: string, max: number): string {
  let n = 0;
  return prompt
    .split('\n')
    .filter((line) => !BULLET.test(line) || ++n <= max)
    .join('\n');
}

export function countBullets(prompt: string): number {
  return prompt.split('\n').filter((l) => BULLET.test(l)).length;
}

export function parseOptimizer(obj: JsonObject, maxBullets: number): OptimizerOutput | string {
  const raw = str(obj.new_system_prompt ?? obj.system_prompt ?? obj.newSystemPrompt ?? obj.prompt);
  if (!raw) return 'no new_system_prompt in the reply';
  const prompt = capBullets(raw.replace(/\r\n/g, '\n'), maxBullets).trim().slice(0, MAX_PROMPT_CHARS);
  return { analysis: str(obj.analysis).slice(0, 1000), thought: str(obj.thought).slice(0, 1000), prompt };
}

/** Whitespace-insensitive identity used to de-duplicate candidate prompts. */
export function normalisePrompt(p: string): string {
  return p.replace(/\s+/g, ' ').trim();
}

/**
 * Reasoning models (Qwen3, DeepSeek-R1 and their distills, QwQ, …) write their thinking before the answer,
 * between `<think>` and `</think>`; some chat templates put the opening tag in the prompt, so the reply
 * starts inside the block and only the closing tag shows. The thinking is not the answer: judged, it
 * would be scored as part of it; handed to the optimizer, it would end up in a system prompt. Adapters
 * keep only the answer (`answerOf`), and a streaming view shows "thinking" until the block closes.
 */

import type { ChatResult } from '../contracts/chat-model';

const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitReply {
  /** The reply without its thinking (trimmed at the start). */
  answer: string;
  /** The thinking, '' when there was none. */
  reasoning: string;
  /** The block is still open: the reply so far is all thinking (a stream in progress, or cut off). */
  thinking: boolean;
}

/**
 * Splits a reply into its leading thinking block and its answer; a reply without one is all answer.
 * `partial`: the reply is still streaming, so a start that may become `<think>` ("<thi") is thinking too.
 */
export function splitReasoning(text: string, partial = false): SplitReply {
  const start = text.trimStart();
  const opened = start.startsWith(OPEN);
  const body = opened ? start.slice(OPEN.length) : text;
  const close = body.indexOf(CLOSE);
  if (close >= 0) {
    // Without an opening tag, a closing one only counts when nothing before it opened another block.
    if (!opened && body.slice(0, close).includes(OPEN)) return { answer: text, reasoning: '', thinking: false };
    return {
      answer: body.slice(close + CLOSE.length).trimStart(),
      reasoning: body.slice(0, close).trim(),
      thinking: false,
    };
  }
  if (opened) return { answer: '', reasoning: body.trim(), thinking: true };
  if (partial && start.length > 0 && OPEN.startsWith(start)) return { answer: '', reasoning: '', thinking: true };
  return { answer: text, reasoning: '', thinking: false };
}

/** The answer part of a reply (see `splitReasoning`). */
export function answerOf(text: string): string {
  return splitReasoning(text).answer;
}

/** A chat result with each choice's thinking left out (usage still counts it: it was generated). */
export function withoutReasoning(result: ChatResult): ChatResult {
  return { ...result, choices: result.choices.map((c) => ({ ...c, text: answerOf(c.text) })) };
}

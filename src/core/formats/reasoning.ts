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
  const close = opened ? body.indexOf(CLOSE) : bareClose(body);
  if (close >= 0) {
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

/**
 * Where a closing tag without an opening one ends a block: on a line of its own end (templates write
 * `</think>\n\n`) and with no other block opened before it. An answer that mentions the tag keeps its words.
 */
function bareClose(text: string): number {
  const m = /<\/think>[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m || text.slice(0, m.index).includes(OPEN)) return -1;
  return m.index;
}

/** The answer part of a reply (see `splitReasoning`). */
export function answerOf(text: string): string {
  return splitReasoning(text).answer;
}

/**
 * A chat result with each choice's thinking left out (usage still counts it: it was generated). A choice that
 * had thinking loses its token log-probabilities too: they cover the thinking, and a judge's drafted scores
 * in it would be read as its scores.
 */
export function withoutReasoning(result: ChatResult): ChatResult {
  return {
    ...result,
    choices: result.choices.map((c) => {
      const answer = answerOf(c.text);
      if (answer === c.text) return c;
      const { logprobs: _thinking, ...rest } = c;
      return { ...rest, text: answer };
    }),
  };
}

/**
 * Reasoning models (Qwen3, DeepSeek-R1 and their distills, QwQ, …) write their thinking before the answer,
 * between `<think>` and `</think>`; some chat templates put the opening tag in the prompt, so the reply
 * starts inside the block and only the closing tag shows. The thinking is not the answer: judged, it
 * would be scored as part of it; handed to the optimizer, it would end up in a system prompt. Adapters
 * keep only the answer (`answerOf`), and a streaming view shows "thinking" until the block closes.
 */

import type { ChatResult, EngineKind } from '../contracts/chat-model';

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

export interface SplitOptions {
  /** The reply is still streaming: a start that may become `<think>` ("<thi") is thinking too. */
  partial?: boolean;
  /**
   * The model's chat template opened the block in the prompt (`opensThinkingInPrompt`): while streaming, the
   * reply is thinking until its closing tag. A finished reply is split as any other: without a closing tag it
   * is all answer, as `answerOf` reads it.
   */
  openedInPrompt?: boolean;
}

/** Splits a reply into its leading thinking block and its answer; a reply without one is all answer. */
export function splitReasoning(
  text: string,
  { partial = false, openedInPrompt = false }: SplitOptions = {},
): SplitReply {
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
  if (opened || (partial && openedInPrompt)) return { answer: '', reasoning: body.trim(), thinking: true };
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

/**
 * Models served with a chat template that ends the prompt with `<think>`, so their replies stream the thinking
 * with no opening tag: DeepSeek-R1 and its distills, QwQ (not the 32B preview, which writes no tags) and Qwen3's
 * Thinking-2507 models, as their published templates do. Names are matched loosely (Hugging Face, Ollama and
 * GGUF spellings). web-llm builds its prompts from MLC's own templates, which leave the tag to the model.
 */
export function opensThinkingInPrompt(model: { engine: EngineKind; modelId: string }): boolean {
  if (model.engine !== 'openai') return false;
  const id = model.modelId.toLowerCase();
  if (/deepseek[-_ ]?r1|r1[-_ ]distill/.test(id)) return true;
  if (/qwq/.test(id)) return !id.includes('preview');
  return /qwen3.*thinking/.test(id);
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

import type { ChatChoice, FinishReason, TokenLogprob, Usage } from '../../core/contracts/chat-model';
import { AppError, ErrorName } from '../../core/contracts/errors';
import { abortError, badResponse, streamCut } from './http-errors';
import { MAX_SSE_LINE_CHARS, capStream } from './bounded-body';
import { readJson } from './http';
import type { AttemptContext } from './http';
import {
  choiceText,
  embeddedError,
  hasReasoning,
  isObj,
  mapFinishReason,
  parseChoices,
  parseLogprobs,
  parseUsage,
} from './openai-wire';
import { sseData } from './sse';

export interface ParsedAnswer {
  choices: ChatChoice[];
  model?: string;
  usage?: Usage;
}

/** A complete (non-streamed) body: JSON with at least one choice carrying text. */
export async function readAnswer(res: Response, ctx: Pick<AttemptContext, 'url' | 'maxBytes'>): Promise<ParsedAnswer> {
  const url = ctx.url;
  const json = await readJson(res, ctx);
  const err = embeddedError(json);
  if (err) throw new AppError(ErrorName.ServerError, `The model server reported an error: ${err}`, { detail: url });
  const parsed = parseChoices(json);
  if (!parsed) {
    throw badResponse(
      'The server reply has no answer in it (missing or empty "choices").',
      `${url}: ${JSON.stringify(json).slice(0, 200)}`,
    );
  }
  return parsed;
}

interface Slot {
  text: string;
  finish: FinishReason | null;
  logprobs: TokenLogprob[];
  sawLogprobs: boolean;
  /** Thinking came beside the text: the log-probabilities may cover it (see hasReasoning). */
  thought: boolean;
}

/**
 * Reads an SSE answer, passing choice 0's text deltas to `onToken`, and telling `onThinking` of each of its
 * thinking deltas that came beside the text. A stream that ends without `[DONE]` and without a finish reason
 * was cut off, and is reported instead of returning half an answer.
 */
export async function readStream(
  res: Response,
  ctx: Pick<AttemptContext, 'url' | 'maxBytes' | 'signal'>,
  onToken: (delta: string) => void,
  onThinking?: () => void,
): Promise<ParsedAnswer> {
  const { url, signal } = ctx;
  const type = res.headers.get('content-type') ?? '';
  // Some servers ignore `stream: true`; treat the whole answer as one delta. A web page (a proxy's or a website's
  // at the base URL) is read whole too, so it is reported as a web page instead of as a stream that broke off.
  if (type.includes('application/json') || type.includes('text/html')) {
    const whole = await readAnswer(res, ctx);
    if (whole.choices[0]?.text) onToken(whole.choices[0].text);
    return whole;
  }
  if (!res.body) throw badResponse('The server sent an empty streaming answer.', url);
  const slots: Slot[] = [];
  let model: string | undefined;
  let usage: Usage | undefined;
  let sawDone = false;
  // The whole stream is capped like a plain reply, and so is each line (a line never ending is a flood too).
  for await (const data of sseData(capStream(res.body, ctx.maxBytes, url), {
    maxLineChars: Math.min(MAX_SSE_LINE_CHARS, ctx.maxBytes),
    url,
  })) {
    // Events already buffered keep arriving after an abort; stop at once instead of replaying them.
    if (signal?.aborted) throw abortError();
    if (data.trim() === '[DONE]') {
      sawDone = true;
      break;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      throw badResponse('The server sent a malformed piece of a streamed answer.', `${url}: ${data.slice(0, 200)}`);
    }
    const err = embeddedError(json);
    if (err) throw new AppError(ErrorName.ServerError, `The model server failed mid-answer: ${err}`, { detail: url });
    if (!isObj(json)) continue;
    if (typeof json.model === 'string') model = json.model;
    usage = parseUsage(json.usage) ?? usage;
    if (!Array.isArray(json.choices)) continue;
    for (const [pos, raw] of json.choices.entries()) {
      if (!isObj(raw)) continue;
      const index = typeof raw.index === 'number' ? raw.index : pos;
      const slot = (slots[index] ??= { text: '', finish: null, logprobs: [], sawLogprobs: false, thought: false });
      if (hasReasoning(raw)) {
        slot.thought = true;
        if (index === 0) onThinking?.();
      }
      const delta = choiceText(raw) ?? '';
      if (delta) {
        slot.text += delta;
        if (index === 0) onToken(delta);
      }
      const lp = parseLogprobs(raw.logprobs);
      if (lp) {
        slot.sawLogprobs = true;
        slot.logprobs.push(...lp);
      }
      if (raw.finish_reason !== null && raw.finish_reason !== undefined)
        slot.finish = mapFinishReason(raw.finish_reason);
    }
  }
  const finished = slots.length > 0 && slots.every((s) => s === undefined || s.finish !== null);
  if (!sawDone && !finished) {
    throw streamCut('The answer stream stopped before it was complete (the connection may have dropped).', url);
  }
  if (slots.length === 0) throw badResponse('The server streamed no answer at all.', url);
  const choices = slots
    .filter((s): s is Slot => s !== undefined)
    .map((s) => {
      const c: ChatChoice = { text: s.text, finish_reason: s.finish ?? 'stop' };
      if (s.sawLogprobs && !s.thought) c.logprobs = s.logprobs;
      return c;
    });
  return { choices, model, usage };
}

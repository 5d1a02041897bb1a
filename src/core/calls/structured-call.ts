/**
 * A model call that must return JSON: ask via the schema and in the text, parse defensively,
 * retry once with a short reminder, and report a ParseFailure instead of inventing a value.
 */
import type { ChatChoice, ChatRequest, ChatResult } from '../contracts/chat-model';
import type { CallGateway, CallOptions } from './call-gateway';
import type { JsonObject } from './json-repair';
import { extractJson } from './json-repair';
import { JSON_REMINDER } from '../drpo/prompts/common';
import type { ParseFailure } from '../contracts/search-node';
import type { Role } from '../contracts/run-config';

export type ChoiceParser<T> = (obj: JsonObject, choice: ChatChoice) => T | string;

export type Parsed<T> = { ok: true; value: T } | { ok: false; failure: ParseFailure };

const RAW_CHARS = 300;

export function parseChoice<T>(
  role: Role,
  stage: string,
  choice: ChatChoice | undefined,
  parse: ChoiceParser<T>,
): Parsed<T> {
  const text = choice?.text ?? '';
  const fail = (message: string): Parsed<T> => ({
    ok: false,
    failure: { role, stage, message, raw: text.slice(0, RAW_CHARS) },
  });
  if (!choice || !text.trim()) return fail('the reply was empty');
  const obj = extractJson(text);
  if (!obj)
    return fail(
      choice.finish_reason === 'length' ? 'the reply was cut off before the JSON ended' : 'no JSON object in the reply',
    );
  const value = parse(obj, choice);
  if (typeof value !== 'string') return { ok: true, value };
  // A cut-off reply is repaired as far as it went (json-repair.ts); say why it still falls short.
  return fail(
    choice.finish_reason === 'length' ? `the reply was cut off before its JSON was complete (${value})` : value,
  );
}

/** The same request with the reminder appended to the last user message. */
export function withReminder(req: ChatRequest): ChatRequest {
  const messages = req.messages.slice();
  const last = messages[messages.length - 1];
  if (last && last.role === 'user')
    messages[messages.length - 1] = { ...last, content: `${last.content}\n\n${JSON_REMINDER}` };
  else messages.push({ role: 'user', content: JSON_REMINDER });
  return { ...req, messages, n: 1 };
}

export async function structuredCall<T>(
  gw: CallGateway,
  role: Role,
  stage: string,
  req: ChatRequest,
  parse: ChoiceParser<T>,
  opts: CallOptions = {},
): Promise<Parsed<T>> {
  const first = await gw.call(role, req, opts);
  const parsed = parseChoice(role, stage, first.choices[0], parse);
  if (parsed.ok) return parsed;
  // A reply cut off by max_tokens would be cut again: give the retry half as much room again.
  const cut = first.choices[0]?.finish_reason === 'length' && req.max_tokens !== undefined;
  const retryReq = cut ? { ...req, max_tokens: Math.ceil(req.max_tokens! * 1.5) } : req;
  return retryStructured(gw, role, stage, retryReq, parse, opts);
}

/** One retry with the reminder; if it fails as well, the retry's failure is reported (marked as such). */
export async function retryStructured<T>(
  gw: CallGateway,
  role: Role,
  stage: string,
  req: ChatRequest,
  parse: ChoiceParser<T>,
  opts: CallOptions,
): Promise<Parsed<T>> {
  const second: ChatResult = await gw.call(role, withReminder(req), opts);
  const parsed = parseChoice(role, stage, second.choices[0], parse);
  if (parsed.ok) return parsed;
  return { ok: false, failure: { ...parsed.failure, message: `${parsed.failure.message} (after one retry)` } };
}

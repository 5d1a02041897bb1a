/**
 * Reading OpenAI-style response bodies defensively: local servers (Ollama, llama-server, vLLM, LM Studio)
 * differ in the details, so every field is checked rather than trusted.
 */
import type {
  ChatChoice,
  ChatMessage,
  FinishReason,
  TokenLogprob,
  TopLogprob,
  Usage,
} from '../../core/contracts/chat-model';
import { estimateTokens } from '../../core/contracts/chat-model';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mapFinishReason(raw: unknown): FinishReason {
  switch (raw) {
    case 'stop':
    case 'eos':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'abort':
      return 'abort';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function topList(raw: unknown): TopLogprob[] {
  if (Array.isArray(raw)) {
    const out: TopLogprob[] = [];
    for (const t of raw) {
      if (isObj(t) && typeof t.token === 'string' && num(t.logprob) !== null) {
        out.push({ token: t.token, logprob: t.logprob as number });
      }
    }
    return out;
  }
  // Legacy completions form: one `{token: logprob}` map per position.
  if (isObj(raw)) {
    return Object.entries(raw)
      .filter((e): e is [string, number] => num(e[1]) !== null)
      .map(([token, logprob]) => ({ token, logprob }))
      .sort((a, b) => b.logprob - a.logprob);
  }
  return [];
}

/** Chat form `{content:[{token, logprob, top_logprobs}]}` or legacy `{tokens, token_logprobs, top_logprobs}`. */
export function parseLogprobs(raw: unknown): TokenLogprob[] | undefined {
  if (!isObj(raw)) return undefined;
  if (Array.isArray(raw.content)) {
    const out: TokenLogprob[] = [];
    for (const c of raw.content) {
      if (!isObj(c) || typeof c.token !== 'string' || num(c.logprob) === null) continue;
      out.push({ token: c.token, logprob: c.logprob as number, top: topList(c.top_logprobs) });
    }
    return out;
  }
  if (Array.isArray(raw.tokens) && Array.isArray(raw.token_logprobs)) {
    const tops = Array.isArray(raw.top_logprobs) ? raw.top_logprobs : [];
    const out: TokenLogprob[] = [];
    raw.tokens.forEach((token, i) => {
      const lp = num((raw.token_logprobs as unknown[])[i]);
      if (typeof token === 'string' && lp !== null) out.push({ token, logprob: lp, top: topList(tops[i]) });
    });
    return out;
  }
  return undefined;
}

/** Text of a chat (`message.content`), completion (`text`) or stream (`delta.content`) choice. */
export function choiceText(choice: Obj): string | null {
  const msg = isObj(choice.message) ? choice.message : isObj(choice.delta) ? choice.delta : null;
  if (msg) {
    if (typeof msg.content === 'string') return msg.content;
    if (msg.content === null || msg.content === undefined) return '';
    return null;
  }
  if (typeof choice.text === 'string') return choice.text;
  return null;
}

/**
 * Whether a choice carries thinking beside its text (`reasoning_content` from llama.cpp and vLLM, `reasoning`
 * from others). Its token log-probabilities may then cover the thinking too, so they are not used.
 */
export function hasReasoning(choice: Obj): boolean {
  const msg = isObj(choice.message) ? choice.message : isObj(choice.delta) ? choice.delta : null;
  const thought = msg?.reasoning_content ?? msg?.reasoning;
  return typeof thought === 'string' && thought.length > 0;
}

export function parseChoices(json: unknown): { choices: ChatChoice[]; model?: string; usage?: Usage } | null {
  if (!isObj(json) || !Array.isArray(json.choices) || json.choices.length === 0) return null;
  const slots: ChatChoice[] = [];
  for (const [pos, raw] of json.choices.entries()) {
    if (!isObj(raw)) return null;
    const text = choiceText(raw);
    if (text === null) return null;
    const index = num(raw.index) ?? pos;
    const choice: ChatChoice = { text, finish_reason: mapFinishReason(raw.finish_reason) };
    const lp = parseLogprobs(raw.logprobs);
    if (lp && !hasReasoning(raw)) choice.logprobs = lp;
    slots[index] = choice;
  }
  return {
    choices: slots.filter((c): c is ChatChoice => c !== undefined),
    model: typeof json.model === 'string' ? json.model : undefined,
    usage: parseUsage(json.usage),
  };
}

export function parseUsage(raw: unknown): Usage | undefined {
  if (!isObj(raw)) return undefined;
  const p = num(raw.prompt_tokens);
  const c = num(raw.completion_tokens);
  if (p === null || c === null) return undefined;
  return { prompt_tokens: p, completion_tokens: c };
}

export function estimateUsage(prompt: ChatMessage[] | string, outputs: string[]): Usage {
  const promptText = typeof prompt === 'string' ? prompt : prompt.map((m) => m.content).join('\n');
  return {
    prompt_tokens: estimateTokens(promptText),
    completion_tokens: outputs.reduce((sum, t) => sum + estimateTokens(t), 0),
  };
}

/** The error object some servers put inside a 200 body or a stream event. */
export function embeddedError(json: unknown): string | null {
  if (!isObj(json) || json.error === undefined || json.error === null) return null;
  const e = json.error;
  if (typeof e === 'string') return e;
  if (isObj(e) && typeof e.message === 'string') return e.message;
  return JSON.stringify(e).slice(0, 300);
}

/** Judging: score each selected aspect 1–5 with a rationale. Reward = mean of the parsed scores. */
import type { AspectCatalog } from '../aspect-catalog';
import { aspectKey } from '../aspect-catalog';
import type { ChatMessage, StructuredOutput, TokenLogprob } from '../../contracts/chat-model';
import type { JsonObject } from '../../calls/json-repair';
import { coerceScore, str } from '../../calls/json-repair';
import type { AspectScore, SelectedAspect } from '../../contracts/search-node';
import { fence, objectSchema, STRING_FIELD } from './common';

export const JUDGE_SCHEMA: StructuredOutput = {
  name: 'aspect_scores',
  schema: objectSchema({
    scores: {
      type: 'array',
      items: objectSchema({
        aspect: STRING_FIELD,
        rationale: STRING_FIELD,
        score: { type: 'integer', minimum: 1, maximum: 5 },
      }),
    },
  }),
};

/**
 * The schema for one judgement: the aspect names are constrained to the ones selected for this
 * query, so an engine with structured output cannot invent or misspell an aspect (which would make
 * the whole judgement unusable). The name stays fixed; only the enum varies per query.
 */
export function judgeSchema(aspects: readonly SelectedAspect[]): StructuredOutput {
  if (aspects.length === 0) return JUDGE_SCHEMA;
  const base = JUDGE_SCHEMA.schema as { properties: { scores: { items: { properties: Record<string, unknown> } } } };
  const items = base.properties.scores.items;
  return {
    name: JUDGE_SCHEMA.name,
    schema: {
      ...JUDGE_SCHEMA.schema,
      properties: {
        scores: {
          type: 'array',
          minItems: aspects.length,
          maxItems: aspects.length,
          items: {
            ...items,
            properties: { ...items.properties, aspect: { type: 'string', enum: aspects.map((a) => a.name) } },
          },
        },
      },
    },
  };
}

export interface JudgeInput {
  query: string;
  answer: string;
  aspects: SelectedAspect[];
  truncated: boolean;
  shortRationales: boolean;
}

export function judgeMessages(input: JudgeInput, catalog: AspectCatalog): ChatMessage[] {
  const list = input.aspects.map((a) => `- ${a.name}: ${catalog.resolve(a.name).description}`).join('\n');
  const cut = input.truncated ? '\nThe answer was cut off by a length limit; judge it as the user would see it.' : '';
  const rationale = input.shortRationales ? 'one short sentence' : 'one to three sentences';
  return [
    { role: 'system', content: 'You are a demanding but fair reviewer of AI assistant answers.' },
    {
      role: 'user',
      content: `Query:\n${fence(input.query)}\n\nAnswer:\n${fence(input.answer)}${cut}\n\nScore the answer on each aspect from 1 (poor) to 5 (nothing important to improve):\n${list}\nFor each aspect write a rationale (${rationale}) naming what to fix, then the score.\nReply with JSON only: {"scores": [{"aspect": "...", "rationale": "...", "score": 1}]}`,
    },
  ];
}

/**
 * Accepts {"scores": [...]}, a bare list under another key, or {"Clarity": {score, rationale}} / {"Clarity": 4}.
 * Scores are coerced ("4" → 4); one off the 1–5 scale (9, "8/10", 0) is unreadable, as in Evaluate (coerceScore),
 * so its aspect is dropped; aspects that were not asked for are ignored.
 */
export function parseJudgement(
  obj: JsonObject,
  aspects: SelectedAspect[],
  expected: number[] | null = null,
): AspectScore[] | string {
  const wanted = new Map(aspects.map((a) => [aspectKey(a.name), a.name]));
  let items: { aspect: string; score: unknown; rationale: string }[];
  const list = Array.isArray(obj.scores) ? obj.scores : Object.values(obj).find(Array.isArray);
  if (Array.isArray(list)) {
    items = list
      .filter((x): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x))
      .map((x) => ({
        aspect: str(x.aspect ?? x.name),
        score: x.score ?? x.rating,
        rationale: str(x.rationale ?? x.reason),
      }));
  } else {
    const src = typeof obj.scores === 'object' && obj.scores !== null ? (obj.scores as JsonObject) : obj;
    items = Object.entries(src).map(([aspect, v]) =>
      typeof v === 'object' && v !== null
        ? {
            aspect,
            score: (v as JsonObject).score,
            rationale: str((v as JsonObject).rationale ?? (v as JsonObject).reason),
          }
        : { aspect, score: v, rationale: '' },
    );
  }
  // Logprob expectations line up with items only when every item had a score digit.
  const useExpected = expected !== null && expected.length === items.length;
  const out: AspectScore[] = [];
  const done = new Set<string>();
  for (const [i, item] of items.entries()) {
    const name = wanted.get(aspectKey(item.aspect));
    const parsed = coerceScore(item.score);
    const score = parsed !== null && useExpected ? coerceScore(expected[i]) : parsed;
    if (!name || score === null || done.has(name)) continue;
    done.add(name);
    out.push({ aspect: name, score, rationale: item.rationale.slice(0, 600) });
  }
  if (out.length === 0) return 'no usable aspect scores in the reply';
  return out;
}

/**
 * Expected score per "score" field from the logprobs of the digit token, in text order.
 * Returns null when the digits cannot be located (the parsed integers are used instead).
 */
export function expectedScoresFromLogprobs(tokens: readonly TokenLogprob[] | undefined): number[] | null {
  if (!tokens || tokens.length === 0) return null;
  const out: number[] = [];
  let tail = '';
  for (const t of tokens) {
    const digit = t.token.trim().replace(/^"|"$/g, '');
    if (/^[1-5]$/.test(digit) && /"score"\s*:\s*"?\s*$/.test(tail)) {
      let total = 0;
      let weighted = 0;
      for (const alt of t.top.length ? t.top : [t]) {
        const d = alt.token.trim().replace(/^"|"$/g, '');
        if (!/^[1-5]$/.test(d)) continue;
        const p = Math.exp(alt.logprob);
        total += p;
        weighted += p * Number(d);
      }
      // A mean of 1–5 is in 1–5, but in floating point (p·5)/p can be 5.000000000000001: kept in the scale, or
      // the strict score reader (coerceScore) would throw away a confident 5 as off the scale.
      out.push(total > 0 ? Math.min(5, Math.max(1, weighted / total)) : Number(digit));
    }
    tail = (tail + t.token).slice(-40);
  }
  return out.length ? out : null;
}

export function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

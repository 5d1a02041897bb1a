import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coerceScore, extractJson, repairJson } from '../../../../src/core/calls/json-repair';
import type { CallGateway } from '../../../../src/core/calls/call-gateway';
import { structuredCall } from '../../../../src/core/calls/structured-call';
import type { ChatRequest, ChatResult } from '../../../../src/core/contracts/chat-model';

describe('extractJson', () => {
  it('reads plain JSON', () => {
    expect(extractJson('{"a": 1}')).toEqual({ a: 1 });
  });
  it('strips code fences and prose', () => {
    expect(extractJson('Sure!\n```json\n{"scores": [{"aspect": "Clarity", "score": 4}]}\n```\nDone.')).toEqual({
      scores: [{ aspect: 'Clarity', score: 4 }],
    });
  });
  it('repairs trailing commas, single quotes, unquoted keys and Python literals', () => {
    expect(extractJson("{'analysis': 'it\\'s fine', aspects: ['Clarity',], ok: True, none: None,}")).toEqual({
      analysis: "it's fine",
      aspects: ['Clarity'],
      ok: true,
      none: null,
    });
  });
  it('skips braces that do not start JSON', () => {
    expect(extractJson('use {curly} braces then {"x": "y"}')).toEqual({ x: 'y' });
  });
  it('keeps apostrophes inside double-quoted strings', () => {
    expect(extractJson(`{"rationale": "It's clear, isn't it?", "score": "4"}`)).toEqual({
      rationale: "It's clear, isn't it?",
      score: '4',
    });
  });
  it('returns undefined for garbage', () => {
    expect(extractJson('maybe a 4 for clarity {not json')).toBeUndefined();
    expect(extractJson('a {curly} brace and {another one')).toBeUndefined();
    expect(extractJson('')).toBeUndefined();
  });
  it('closes an object cut off in the middle of a string (max_tokens) instead of giving up on it', () => {
    expect(extractJson('Here: {"scores": [{"aspect": "Clarity", "score": 4, "rationale": "Short and cle')).toEqual({
      scores: [{ aspect: 'Clarity', score: 4, rationale: 'Short and cle' }],
    });
    // What was cut is missing, never invented: the caller sees which field is absent.
    expect(extractJson('{"scores": [{"aspect": "Clarity", "sco')).toEqual({
      scores: [{ aspect: 'Clarity', sco: null }],
    });
  });
  it('a judgement cut off after its scores costs no retry call', async () => {
    const calls: ChatRequest[] = [];
    const cut = '{"scores": [{"aspect": "Clarity", "score": 4, "rationale": "Clear, with a small gap in the last st';
    const gateway = {
      call: async (_role: string, req: ChatRequest): Promise<ChatResult> => {
        calls.push(req);
        return {
          model: 'm',
          choices: [{ text: cut, finish_reason: 'length' }],
          usage: { prompt_tokens: 1, completion_tokens: 1 },
        };
      },
    } as unknown as CallGateway;
    const r = await structuredCall(
      gateway,
      'judge',
      'judgement',
      { messages: [{ role: 'user', content: 'judge' }] },
      (obj) => {
        const s = (obj.scores as { score?: number }[] | undefined)?.[0]?.score;
        return typeof s === 'number' ? s : 'no score';
      },
    );
    expect(r).toEqual({ ok: true, value: 4 });
    expect(calls).toHaveLength(1);
  });
  it('escapes raw newlines inside strings', () => {
    expect(repairJson('{"a": "x\ny"}')).toBe('{"a": "x\\ny"}');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const v = extractJson(s);
        expect(v === undefined || (typeof v === 'object' && v !== null)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('recovers any JSON object embedded in noise', () => {
    const noise = fc.string({ maxLength: 40 }).map((s) => s.replace(/[{}[\]"'`]/g, ''));
    const obj = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 5,
    });
    fc.assert(
      fc.property(noise, obj, noise, (before, o, after) => {
        const text = `${before}${JSON.stringify(o)}${after}`;
        expect(extractJson(text)).toEqual(JSON.parse(JSON.stringify(o)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('coerceScore', () => {
  it('coerces strings, and reads a score off the 1–5 scale as no score', () => {
    expect(coerceScore('4')).toBe(4);
    expect(coerceScore('Score: 3/5')).toBe(3);
    expect(coerceScore(4.5)).toBe(4.5);
    expect(coerceScore(7)).toBeNull();
    expect(coerceScore(0)).toBeNull();
    expect(coerceScore(-2)).toBeNull();
    expect(coerceScore('9')).toBeNull();
    expect(coerceScore('8/10')).toBeNull();
    expect(coerceScore('2/10')).toBeNull();
    expect(coerceScore('-3')).toBeNull();
    expect(coerceScore('n/a')).toBeNull();
    expect(coerceScore(null)).toBeNull();
    expect(coerceScore(Number.NaN)).toBeNull();
  });
});

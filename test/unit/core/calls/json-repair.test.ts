import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coerceScore, extractJson, repairJson } from '../../../../src/core/calls/json-repair';

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
  it('returns undefined for garbage and truncated objects', () => {
    expect(extractJson('maybe a 4 for clarity {not json')).toBeUndefined();
    expect(extractJson('{"scores": [{"aspect": "Clarity", "sco')).toBeUndefined();
    expect(extractJson('')).toBeUndefined();
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
  it('coerces strings and clamps to 1–5', () => {
    expect(coerceScore('4')).toBe(4);
    expect(coerceScore('Score: 3/5')).toBe(3);
    expect(coerceScore(7)).toBe(5);
    expect(coerceScore(0)).toBe(1);
    expect(coerceScore(-2)).toBe(1);
    expect(coerceScore('n/a')).toBeNull();
    expect(coerceScore(null)).toBeNull();
    expect(coerceScore(Number.NaN)).toBeNull();
  });
});

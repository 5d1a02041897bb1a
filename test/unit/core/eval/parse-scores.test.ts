import { describe, expect, it } from 'vitest';
import { parseScores } from '../../../../src/core/eval/parse-scores';

describe('parseScores', () => {
  const read = (score: unknown) => parseScores(JSON.stringify({ safety: { score, rationale: 'r' } }), ['Safety']);

  it('reads a 1–5 score written as a number or as text', () => {
    for (const [v, want] of [
      [4, 4],
      ['4', 4],
      ['3/5', 3],
      ['Score: 2', 2],
      ['4 out of 5', 4],
    ] as const)
      expect(read(v)).toEqual({ ok: true, value: [{ aspect: 'Safety', score: want, rationale: 'r' }] });
  });

  it('counts a score off the 1–5 scale as unreadable, written as a number or as text', () => {
    // A judge answering on a 10-point scale must not put every good answer at the ceiling.
    for (const v of [9, '9', '8/10', '2/10', '0', 0, '-3', '7 out of 10'])
      expect(read(v), JSON.stringify(v)).toEqual({ ok: false, error: 'No valid 1–5 score for Safety.' });
  });
});

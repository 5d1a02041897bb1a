import { describe, expect, it } from 'vitest';
import { evaluationName, savedWhen } from '../../../src/ui/view-models/evaluation-name';

const WHEN = '11/30/2026, 11:52:17 PM';

describe('evaluationName', () => {
  it('joins a few candidates with "vs", then the date', () => {
    expect(evaluationName(['Careful v1', 'Starting prompt', 'Baseline'], WHEN)).toBe(
      `Careful v1 vs Starting prompt vs Baseline · ${WHEN}`,
    );
  });

  it('many long names: the first ones, how many others, and the date, within the 200 characters stored', () => {
    const labels = Array.from(
      { length: 9 },
      (_, i) => `Alignment ${9 - i} with a fairly long descriptive name`,
    ).flatMap((a) => [a, `Starting prompt of “${a}”`]);
    const name = evaluationName(labels, WHEN);
    expect(name).toBe(
      `Alignment 9 with a fairly long descriptive name vs Starting prompt of “Alignment 9 with a fairly long descriptive name” and 16 others · ${WHEN}`,
    );
    expect(name.length).toBeLessThanOrEqual(200);
  });

  it('one name longer than the room is cut with an ellipsis, and the date stays', () => {
    const name = evaluationName(['x'.repeat(300), 'Baseline'], WHEN);
    expect(name).toBe(`${'x'.repeat(119)}… and 1 other · ${WHEN}`);
    expect(name.length).toBeLessThanOrEqual(200);
  });
});

describe('savedWhen', () => {
  it('says when it was saved unless the name already ends with that date', () => {
    const at = Date.UTC(2026, 11, 1, 3, 59, 36);
    const when = new Date(at).toLocaleString();
    expect(savedWhen({ name: 'My check', savedAt: at })).toBe(when);
    expect(savedWhen({ name: evaluationName(['A', 'B'], when), savedAt: at })).toBeNull();
  });
});

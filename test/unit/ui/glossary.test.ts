/** The glossary's verdict text says "kept back" only when the run kept questions back from the race. */
import { describe, expect, it } from 'vitest';
import { explain } from '../../../src/ui/view-models/glossary';
import { keptBackQueries } from '../../../src/core/formats/verdict-text';
import { nothingLedArtifact, sampleArtifact } from '../../support/artifacts';

describe('glossary: the verdict score', () => {
  it('kept back, none kept back, or not known', () => {
    expect(explain('verdict', { keptBackQueries: 3 })).toMatch(
      /^Verdict score: the mean on the held-out questions kept back from the race,/,
    );
    expect(explain('verdict', { keptBackQueries: 3 })).not.toMatch(/keeps none back/);
    const none = explain('verdict', { keptBackQueries: 0 });
    expect(none).not.toMatch(/kept back from the race/);
    expect(none).toMatch(/kept none back from the race .* the questions that chose the candidate also judged it/);
    // Live, and files that do not say: both cases told.
    expect(explain('verdict')).toMatch(
      /kept back from the race.* A run that keeps none back .* the race’s own questions\.$/,
    );
    expect(explain('race')).toMatch(/so the verdict is taken on other questions when the run keeps some back\.$/);
  });

  it('how many were kept back, as the file says (one held-out question is never split)', () => {
    expect(keptBackQueries(nothingLedArtifact())).toBe(3);
    const a = nothingLedArtifact();
    a.scores = { ...a.scores, keptBackQueries: 0 };
    expect(keptBackQueries(a)).toBe(0);
    expect(keptBackQueries(sampleArtifact({ scores: { train: 3, heldOutQueries: 1, raceQueries: 1 } }))).toBe(0);
    expect(
      keptBackQueries(sampleArtifact({ scores: { train: 3, heldOutQueries: 6, raceQueries: 3 } })),
    ).toBeUndefined();
    expect(keptBackQueries(sampleArtifact({ scores: { train: 3 } }))).toBeUndefined();
  });
});

/** The glossary's verdict text says "kept back" only when the run kept questions back from the race. */
import { describe, expect, it } from 'vitest';
import {
  BEST_SO_FAR_MARK,
  RUN_PATH_MEAN_COLUMN,
  TERM_LABELS,
  alignmentFigures,
  bestSoFarWords,
  explain,
} from '../../../src/ui/view-models/glossary';
import { keptBackQueries } from '../../../src/core/words/verdict-text';
import { fellShortArtifact, nothingLedArtifact, sampleArtifact } from '../../support/artifacts';

describe('glossary: the verdict score', () => {
  it('kept back, none kept back, or not known', () => {
    expect(explain('verdict', { keptBackQueries: 3 })).toMatch(
      /^Verdict score: the mean on the held-out questions kept back from the race,/,
    );
    expect(explain('verdict', { keptBackQueries: 3 })).not.toMatch(/keeps none back/);
    const none = explain('verdict', { keptBackQueries: 0 });
    expect(none).not.toMatch(/kept back from the race/);
    expect(none).toMatch(/kept none back from the race .* the questions that chose the candidate also judged it/);
    // Such a check can say "no improvement", but a lead there is not a gain (verdict-text's unconfirmedLead).
    expect(none).toMatch(/a lead there is “not verified”, never a gain\./);
    // Live, and files that do not say: both cases told.
    expect(explain('verdict')).toMatch(
      /kept back from the race.* A run that keeps none back .* the race’s own questions, where a lead is “not verified”, never a gain\.$/,
    );
    expect(explain('race')).toMatch(/so the verdict is taken on other questions when the run keeps some back\.$/);
  });

  it('says once that the verdict’s “±” is one standard error, whatever was kept back', () => {
    for (const keptBackQueries of [3, 0, undefined]) {
      const text = explain('verdict', { keptBackQueries });
      expect(text.match(/one standard error/g), String(keptBackQueries)).toHaveLength(1);
      expect(text).toContain('“+0.50 ± 0.20” is the difference from the starting prompt and one standard error of it');
    }
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

describe('glossary: an alignment’s figures are called a verdict only when a verdict gave them', () => {
  const labels = (a: Parameters<typeof alignmentFigures>[0]) =>
    alignmentFigures(a).map((f) => [f.label, f.term ?? null]);

  it('an older file (no outcome) and an unverified one: held-out questions, no verdict help', () => {
    const older = sampleArtifact({ scores: { train: 4.25, validation: 4.1, initialValidation: 3.9 } });
    expect(older.outcome).toBeUndefined();
    const unverified = { ...older, outcome: 'unverified' as const };
    for (const a of [sampleArtifact(), older, unverified]) {
      expect(alignmentFigures(a)[0]!.label).not.toMatch(/^Verdict/);
      expect(labels(a).slice(0, 2)).toEqual([
        ['Held-out questions: this alignment', null],
        ['Held-out questions: starting prompt', null],
      ]);
    }
  });

  it('a checked run keeps "Verdict", and so does a closest candidate that fell short', () => {
    const improved = sampleArtifact({
      outcome: 'improved',
      scores: { train: 4, validation: 3.5, initialValidation: 3.2, validationQueries: 6 },
    });
    expect(labels(improved)[0]).toEqual(['Verdict: this alignment', 'verdict']);
    const compared = sampleArtifact({
      outcome: 'unverified',
      scores: { train: 4, validation: 3.3, initialValidation: 3.5, validationQueries: 6 },
    });
    expect(labels(compared)[0]).toEqual(['Verdict: this alignment', 'verdict']);
  });

  it('after "no improvement" (the alignment is the start): the closest candidate and the start, as the verdict compares them', () => {
    // "This alignment" would be the start again, beside "starting prompt", and the candidate's figure hidden.
    const fellShort = fellShortArtifact({ validation: 3.92 }, {});
    fellShort.scores = { ...fellShort.scores, validation: 4.11, initialValidation: 4.11 };
    expect(alignmentFigures(fellShort).map((f) => [f.key, f.label, f.term ?? null, f.value])).toEqual([
      ['candidate', 'Closest candidate', 'verdict', 3.92],
      ['start', 'Starting prompt', null, 4.11],
      // The alignment's path mean, which is the start's: named so, not read as the candidate's.
      ['path-mean', 'Path mean on training questions: starting prompt', 'path-mean', 3.5],
    ]);
    // Nothing led: only the start's figure (the race's), explained as such.
    expect(alignmentFigures(nothingLedArtifact()).map((f) => [f.key, f.label, f.term ?? null, f.value])).toEqual([
      ['start', 'Starting prompt', 'race', 4.17],
      ['path-mean', 'Path mean on training questions: starting prompt', 'path-mean', 3],
    ]);
    for (const a of [fellShort, nothingLedArtifact()])
      expect(alignmentFigures(a).map((f) => f.label)).not.toContain('Verdict: this alignment');
  });
});

describe('glossary: the path mean, one name', () => {
  it('is defined once, with the mark the Live view, the CLI and History put on a run’s figure while it can go on', () => {
    expect(TERM_LABELS['path-mean']).toBe('path mean');
    expect(RUN_PATH_MEAN_COLUMN).toBe('Path mean');
    // The longer form is the header's name, the figure and the mark History's cell shows after it.
    expect(bestSoFarWords('4.08')).toBe(`path mean 4.08 ${BEST_SO_FAR_MARK}`);
    expect(BEST_SO_FAR_MARK).toBe('(best so far)');
    expect(explain('path-mean')).toMatch(
      /While a run can go on, its path mean is the best the search reached, marked “\(best so far\)”/,
    );
  });
});

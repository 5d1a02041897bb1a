/** Issue 12 item 2: Evaluate says in words when an alignment scores below what it should beat. */
import { describe, expect, it } from 'vitest';
import {
  answerLength,
  answerLengthSource,
  belowReferences,
  describeBelow,
  describeUnchanged,
  describeUnconfirmedGain,
  unconfirmedGains,
  signTestChance,
  evalCandidates,
  evaluatedAlike,
  referenceCandidates,
  referencesOf,
} from '../../../../../src/core/eval/report/compare';
import { defaultPairs } from '../../../../../src/core/eval/pairwise';
import { DEFAULT_ANSWER_TOKENS } from '../../../../../src/core/eval/evaluate-alignments';
import { BASELINE_PROMPT } from '../../../../../src/core/eval/eval-prompts';
import { sampleArtifact } from '../../../../support/artifacts';
import type { CandidateReport, EvalReport, EvalRow } from '../../../../../src/core/eval/eval-types';

/**
 * A row scored `means` on questions q0, q1, … (null: its judgement could not be read; a shorter list: stopped
 * before the rest); one number: 8 questions scored alike. `overall` is over its own scores, as a report's is.
 */
function cand(label: string, means: number | null | (number | null)[]): CandidateReport {
  const each = Array.isArray(means) ? means : Array<number | null>(8).fill(means);
  const scored = each.filter((m): m is number => m !== null);
  const mean = scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : null;
  return {
    label,
    systemPrompt: label,
    iclCount: 0,
    aspects: [],
    overall: { mean, n: scored.length, ci: null },
    counts: { queries: 8, regular: 8, unsafe: 0, scored: scored.length, parseFailures: 0 },
    rows: each.map((m, i): EvalRow => ({
      queryId: `q${i}`,
      query: `Question ${i}?`,
      kind: 'regular',
      answer: 'An answer.',
      finishReason: 'stop',
      scores: [],
      mean: m,
      ...(m === null ? { parseError: 'bad' } : {}),
    })),
  } as CandidateReport;
}

function report(candidates: CandidateReport[], asked = 8): EvalReport {
  return {
    candidates,
    pairwise: [],
    seed: 0,
    settings: { resamples: 1000, alpha: 0.05 },
    queries: { total: asked },
  } as unknown as EvalReport;
}

/** Means that alternate `lo` and `hi` on 8 questions. */
const alternating = (lo: number, hi: number) => Array.from({ length: 8 }, (_, i) => (i % 2 ? hi : lo));

describe('belowReferences', () => {
  it('compares each alignment with its own starting prompt first, then the baseline', () => {
    const r = report([
      cand('Mine', alternating(3, 3.2)),
      cand('Other', 4.2),
      cand('Starting prompt of “Mine”', 3.6),
      cand('Starting prompt of “Other”', 4.0),
      cand('Baseline', 2.0),
    ]);
    const [b, ...more] = belowReferences(r);
    expect(more).toEqual([]);
    expect(b).toMatchObject({
      candidate: 'Mine',
      reference: 'Starting prompt of “Mine”',
      questions: 8,
      asked: 8,
      mayBeNoise: false,
    });
    expect(b!.candidateMean).toBeCloseTo(3.1, 10);
    expect(b!.referenceMean).toBeCloseTo(3.6, 10);
    // The per-question differences (−0.6 and −0.4) keep their interval below 0.
    expect(b!.difference!.hi).toBeLessThan(0);
    expect(describeBelow(b!)).toBe(
      '“Mine” scored lower than its starting prompt (3.10 vs 3.60 overall on 8 questions): on these questions it is not an improvement.',
    );
  });

  it('falls back to the baseline and says when the gap may be noise, with its interval', () => {
    const [b] = belowReferences(report([cand('Mine', [3, 3.2, 2.6, 3.6, 3, 3.2, 2.6, 3.6]), cand('Baseline', 3.3)]));
    expect(b).toMatchObject({ reference: 'Baseline', mayBeNoise: true });
    const { lo, hi } = b!.difference!;
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThanOrEqual(0);
    const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;
    expect(describeBelow(b!)).toBe(
      '“Mine” scored lower than the baseline prompt (3.10 vs 3.30 overall on 8 questions): on these questions it is ' +
        `not an improvement, though the gap may be noise (its 95% interval, from ${signed(lo)} to ${signed(hi)}, includes 0).`,
    );
  });

  it('says a lead over the starting prompt may be noise, so Evaluate does not leave "confirm the gain" to a guess', () => {
    // The page's run: "good run" 3.43 [3.22–3.63] vs its start 3.33 [3.10–3.57], with nothing said in words.
    const shaky = report([cand('Mine', [3.5, 3.3, 3.9, 3.1, 3.5, 3.3, 3.9, 3.1]), cand('Starting prompt', 3.4)]);
    expect(belowReferences(shaky)).toEqual([]);
    const [g, ...more] = unconfirmedGains(shaky);
    expect(more).toEqual([]);
    expect(g).toMatchObject({ candidate: 'Mine', reference: 'Starting prompt', questions: 8, mayBeNoise: true });
    const { lo, hi } = g!.difference!;
    expect(lo).toBeLessThanOrEqual(0);
    const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;
    expect(describeUnconfirmedGain(g!)).toBe(
      '“Mine” scored higher than its starting prompt (3.45 vs 3.40 overall on 8 questions), but the gap may be ' +
        `noise (its 95% interval, from ${signed(lo)} to ${signed(hi)}, includes 0): these questions do not confirm an improvement.`,
    );
    // A clear lead (higher on every one of 8 questions, the interval above 0) needs no such sentence.
    expect(unconfirmedGains(report([cand('Mine', alternating(3.6, 3.8)), cand('Starting prompt', 3.4)]))).toEqual([]);
    // Higher on 3 of 3 questions by the same gap: no interval, and 3 are too few to rule out chance.
    const few = report([cand('Mine', [3.6, 3.6, 3.6]), cand('Starting prompt', 3.4)]);
    expect(describeUnconfirmedGain(unconfirmedGains(few)[0]!)).toMatch(
      /3\.60 vs 3\.40 overall on the 3 questions both were scored on\), but the gap may be noise \(the same gap on each of 3 questions gives no 95% interval, and 3 are too few to rule out chance\)/,
    );
    // A lead made by a few large gains (6 of 20 questions), lower on the other 14: the interval is above 0, the
    // sign test says it may be chance, and both counts are said (not "higher on 6", as if the most).
    const means = Array.from({ length: 20 }, (_, i) => (i < 6 ? 5 : 3.3));
    const start = Array<number>(20).fill(3.4);
    const [l] = unconfirmedGains(report([cand('Mine', means), cand('Starting prompt', start)], 20));
    expect(l).toMatchObject({ lowerOn: 14, differing: 20, mayBeNoise: true });
    expect(l!.difference!.lo).toBeGreaterThan(0);
    expect(describeUnconfirmedGain(l!)).toMatch(
      /\(it is higher on 6 and lower on 14 of 20 questions, too few to rule out chance\)/,
    );
  });

  it('says nothing when the alignment is as good or better, unscored, or has nothing to compare with', () => {
    expect(belowReferences(report([cand('Mine', 3.5), cand('Starting prompt', 3.5)]))).toEqual([]);
    expect(belowReferences(report([cand('Mine', null), cand('Baseline', 3.5)]))).toEqual([]);
    expect(belowReferences(report([cand('Mine', 1), cand('Other', 4)]))).toEqual([]);
  });
});

/** Statistics audit, findings 1 and 5: the two rows are compared on the questions both were scored on. */
describe('belowReferences pairs the two rows by question', () => {
  const notes = (r: EvalReport) => belowReferences(r).map((b) => describeBelow(b));
  const fill = (n: number, m: number | null) => Array<number | null>(n).fill(m);

  it('a stopped evaluation: the start scored on its first questions only is compared there (repro A)', () => {
    // Mine judged on 10 questions, the start on the first 3; on those 3 both scored 5.
    const r = report([cand('Mine', [5, 5, 5, ...fill(7, 2)]), cand('Starting prompt', [5, 5, 5])], 10);
    expect(notes(r)).toEqual([]);
  });

  it('unreadable judgements: the rows are compared where both were read (repro B and its mirror)', () => {
    // Mine beat the start on every question both were scored on (2 vs 1): no note, whatever the unread ones.
    const b = report(
      [cand('Mine', [...fill(4, 2), ...fill(6, null)]), cand('Starting prompt', [...fill(4, 1), ...fill(6, 5)])],
      10,
    );
    expect(notes(b)).toEqual([]);
    // The start beat Mine on all 4 shared questions, though Mine's own mean (4.00) is above the start's (2.60).
    const mirror = report(
      [cand('Mine', [...fill(4, 4), ...fill(6, null)]), cand('Starting prompt', [...fill(4, 5), ...fill(6, 1)])],
      10,
    );
    expect(notes(mirror)).toEqual([
      '“Mine” scored lower than its starting prompt (4.00 vs 5.00 overall on the 4 questions both were scored on): ' +
        'on these questions it is not an improvement, though the gap may be noise (the same gap on each of 4 questions ' +
        'gives no 95% interval, and 4 are too few to rule out chance).',
    ]);
    expect(belowReferences(mirror)[0]).toMatchObject({ questions: 4, asked: 10, difference: null, mayBeNoise: true });
  });

  it('the same gap on every question: noise up to 5 questions, not from 6 on (a sign test)', () => {
    const five = report([cand('Mine', fill(5, 4)), cand('Starting prompt', fill(5, 5))], 5);
    expect(belowReferences(five)[0]).toMatchObject({ questions: 5, difference: null, mayBeNoise: true });
    const six = report([cand('Mine', fill(6, 4)), cand('Starting prompt', fill(6, 5))], 6);
    expect(belowReferences(six)[0]).toMatchObject({ questions: 6, difference: null, mayBeNoise: false });
    expect(notes(six)).toEqual([
      '“Mine” scored lower than its starting prompt (4.00 vs 5.00 overall on 6 questions): on these questions it is not an improvement.',
    ]);
  });

  it('a sign test is the floor for few questions, whatever the gaps (review: unequal gaps on 2–5 questions)', () => {
    const three = report([cand('Mine', [4, 4, 4.5]), cand('Starting prompt', [5, 5, 5])], 3);
    expect(belowReferences(three)[0]).toMatchObject({ lowerOn: 3, differing: 3, mayBeNoise: true });
    expect(notes(three)[0]).toContain(
      'though the gap may be noise (it is lower on 3 of 3 questions, too few to rule out chance).',
    );
    const two = report([cand('Mine', [4, 3]), cand('Starting prompt', [5, 5])], 2);
    expect(belowReferences(two)[0]).toMatchObject({ mayBeNoise: true });
    const six = report([cand('Mine', [4, 3, 4, 4.5, 3, 4]), cand('Starting prompt', fill(6, 5))], 6);
    expect(belowReferences(six)[0]).toMatchObject({ lowerOn: 6, mayBeNoise: false });
    expect(notes(six)[0]).toMatch(/not an improvement\.$/);
  });

  it('the sign test: lopsided splits by the binomial, ties left out', () => {
    expect(signTestChance(3, 3)).toBeCloseTo(0.25);
    expect(signTestChance(6, 6)).toBeCloseTo(0.03125);
    expect(signTestChance(9, 10)).toBeCloseTo((2 * 11) / 1024);
    expect(signTestChance(5, 10)).toBe(1);
    expect(signTestChance(0, 0)).toBe(1);
  });

  it('one question gives no interval, so the gap may be noise (finding 5)', () => {
    const r = report([cand('Mine', [3]), cand('Starting prompt', [3.2])], 1);
    expect(notes(r)).toEqual([
      '“Mine” scored lower than its starting prompt (3.00 vs 3.20 overall on 1 question): on these questions it is ' +
        'not an improvement, though the gap may be noise (1 question gives no 95% interval).',
    ]);
  });

  it('pairs by query id, not by position, and says nothing without a shared question', () => {
    // Rows in another order (q2, q1, q0), one unread: q0 and q2 are compared (5 and 1 against 5 and 2).
    const mine = cand('Mine', [5, null, 1]);
    mine.rows.reverse();
    const start = cand('Starting prompt', [5, 5, 2]);
    expect(belowReferences(report([mine, start], 3))[0]).toMatchObject({
      questions: 2,
      candidateMean: 3,
      referenceMean: 3.5,
    });
    expect(belowReferences(report([cand('Mine', [null, 2]), cand('Starting prompt', [4, null])], 2))).toEqual([]);
  });
});

describe('reference candidates (the page’s Evaluate and drpo eval share them)', () => {
  const withStart = (name: string, initialPrompt: string) => ({ name, artifact: sampleArtifact({ initialPrompt }) });
  const labels = (c: { label: string }[]) => c.map((x) => x.label);

  it('adds each starting prompt once, then the baseline and no system prompt', () => {
    expect(labels(referenceCandidates({ starting: [withStart('A', 'Be brief.')], noSystem: true }))).toEqual([
      'Starting prompt',
      'No system prompt',
    ]);
    // Two alignments from the same start: one candidate. From two starts: named after their alignments.
    expect(
      labels(referenceCandidates({ starting: [withStart('A', 'Be brief.'), withStart('B', 'Be brief.')] })),
    ).toEqual(['Starting prompt']);
    const two = referenceCandidates({
      starting: [withStart('A', 'Be brief.'), withStart('B', 'Be kind.')],
      baseline: true,
    });
    expect(labels(two)).toEqual(['Starting prompt of “A”', 'Starting prompt of “B”', 'Baseline']);
    expect(two.map((c) => c.systemPrompt)).toEqual(['Be brief.', 'Be kind.', BASELINE_PROMPT]);
  });

  it('a start shared by two alignments names both, so each is compared with it', () => {
    const refs = referenceCandidates({
      starting: [withStart('A', 'Be brief.'), withStart('B', 'Be brief.'), withStart('C', 'Be kind.')],
    });
    expect(labels(refs)).toEqual(['Starting prompt of “A” and “B”', 'Starting prompt of “C”']);
    // All three scored below their own start: each is told so, against its own.
    const below = belowReferences(
      report([cand('A', 3), cand('B', 3.1), cand('C', 3.2), cand(refs[0]!.label, 3.5), cand(refs[1]!.label, 3.9)]),
    );
    expect(below.map((b) => [b.candidate, b.reference])).toEqual([
      ['A', 'Starting prompt of “A” and “B”'],
      ['B', 'Starting prompt of “A” and “B”'],
      ['C', 'Starting prompt of “C”'],
    ]);
  });

  it('a start shared by three alignments lists them in words, and a stored report’s older label still matches', () => {
    const refs = referenceCandidates({
      starting: ['A', 'B', 'C'].map((n) => withStart(n, 'Be brief.')).concat(withStart('D', 'Be kind.')),
    });
    expect(labels(refs)).toEqual(['Starting prompt of “A”, “B” and “C”', 'Starting prompt of “D”']);
    // Reports stored before joined every name with "and": each alignment still finds its start there.
    const old = 'Starting prompt of “A” and “B” and “C”';
    const below = belowReferences(report([cand('A', 3), cand('C', 3.1), cand(old, 3.5)]));
    expect(below.map((b) => [b.candidate, b.reference])).toEqual([
      ['A', old],
      ['C', old],
    ]);
  });

  it('a start equal to the baseline prompt is listed once, named as the user chose it (both when both)', () => {
    const c = referenceCandidates({ starting: [withStart('A', BASELINE_PROMPT)], baseline: true });
    expect(c).toEqual([{ label: 'Starting prompt (also the baseline)', systemPrompt: BASELINE_PROMPT }]);
    // Only the starting prompt ticked: it is not called the baseline, which the user left out.
    expect(labels(referenceCandidates({ starting: [withStart('A', BASELINE_PROMPT)] }))).toEqual(['Starting prompt']);
    expect(labels(referenceCandidates({ baseline: true }))).toEqual(['Baseline']);
    expect(referenceCandidates({})).toEqual([]);
  });

  it('the row that is a start and the baseline serves as both: each alignment is measured against it once', () => {
    const refs = referenceCandidates({
      starting: [withStart('A', BASELINE_PROMPT), withStart('B', 'Be brief.')],
      baseline: true,
      noSystem: true,
    });
    const all = ['A', 'B', ...labels(refs)];
    expect(labels(refs)).toEqual([
      'Starting prompt of “A” (also the baseline)',
      'Starting prompt of “B”',
      'No system prompt',
    ]);
    expect(referencesOf('A', all)).toEqual(['Starting prompt of “A” (also the baseline)', 'No system prompt']);
    expect(referencesOf('B', all)).toEqual([
      'Starting prompt of “B”',
      'Starting prompt of “A” (also the baseline)',
      'No system prompt',
    ]);
    expect(defaultPairs(all)).toEqual([
      ['A', 'Starting prompt of “A” (also the baseline)'],
      ['A', 'No system prompt'],
      ['B', 'Starting prompt of “B”'],
      ['B', 'Starting prompt of “A” (also the baseline)'],
      ['B', 'No system prompt'],
    ]);
    const [b] = belowReferences(report([cand('A', 3), cand('Starting prompt (also the baseline)', 3.5)]));
    expect(describeBelow(b!)).toMatch(/^“A” scored lower than its starting prompt \(the baseline prompt\) \(3\.00/);
    // An alignment named like that row is labelled as an alignment.
    const named = evalCandidates({
      chosen: [{ name: 'Starting prompt (also the baseline)', artifact: sampleArtifact({ initialPrompt: 'Hi.' }) }],
    });
    expect(labels(named)).toEqual(['Starting prompt (also the baseline) (alignment)']);
  });
});

describe('evalCandidates: an alignment is never taken for a reference, nor merged with another', () => {
  const named = (name: string, initialPrompt: string, systemPrompt = `${initialPrompt} Improved.`) => ({
    name,
    artifact: sampleArtifact({ initialPrompt, systemPrompt }),
  });
  const labels = (c: { label: string }[]) => c.map((x) => x.label);

  it('an alignment named like a reference (any case, spaces around) is labelled as an alignment', () => {
    const chosen = [
      named('Baseline', 'Be brief.'),
      named(' no system prompt ', 'Be kind.'),
      named('STARTING PROMPT', 'Be kind.'),
      named('Starting prompt of “A”', 'Be kind.'),
    ];
    const c = evalCandidates({ chosen, starting: true, baseline: true, noSystem: true });
    expect(labels(c)).toEqual([
      'Baseline (alignment)',
      'no system prompt (alignment)',
      'STARTING PROMPT (alignment)',
      'Starting prompt of “A” (alignment)',
      'Starting prompt of “Baseline (alignment)”',
      'Starting prompt of “no system prompt (alignment)”, “STARTING PROMPT (alignment)” and “Starting prompt of “A” (alignment)”',
      'Baseline',
      'No system prompt',
    ]);
    // Scored below the real baseline and its own start: it is told so, against its own start.
    const below = belowReferences(
      report([
        cand('Baseline (alignment)', 3),
        cand('Starting prompt of “Baseline (alignment)”', 3.5),
        cand('Baseline', 4),
      ]),
    );
    expect(below.map((b) => [b.candidate, b.reference])).toEqual([
      ['Baseline (alignment)', 'Starting prompt of “Baseline (alignment)”'],
    ]);
    // Without its start, the baseline is its reference: the alignment is not taken for the baseline.
    expect(
      belowReferences(report([cand('Baseline (alignment)', 3), cand('Baseline', 4)])).map((b) => b.reference),
    ).toEqual(['Baseline']);
  });

  it('two alignments with one name keep two rows, each with its own start', () => {
    const c = evalCandidates({
      chosen: [named('A', 'Be brief.'), named('A', 'Be kind.'), named('A (2)', 'Be kind.')],
      starting: true,
    });
    expect(labels(c)).toEqual([
      'A',
      'A (2)',
      'A (2) (2)',
      'Starting prompt of “A”',
      'Starting prompt of “A (2)” and “A (2) (2)”',
    ]);
    const below = belowReferences(
      report([cand('A', 3), cand('A (2)', 3), cand('A (2) (2)', 3), cand(c[3]!.label, 3.5), cand(c[4]!.label, 3.9)]),
    );
    expect(below.map((b) => [b.candidate, b.reference])).toEqual([
      ['A', 'Starting prompt of “A”'],
      ['A (2)', 'Starting prompt of “A (2)” and “A (2) (2)”'],
      ['A (2) (2)', 'Starting prompt of “A (2)” and “A (2) (2)”'],
    ]);
  });
});

describe('evaluatedAlike: two alignments are one prompt in an evaluation by the same rule as its report', () => {
  const ex = (n: number) => ({ query: `Question ${n}?`, answer: `Answer ${n}.` });
  const one = (icl: { query: string; answer: string }[], k = 1) =>
    sampleArtifact({ systemPrompt: 'Be brief.', icl, settings: { iclKInference: k } });

  it('compares the whole pool each question retrieves from, not only its first examples', () => {
    // The same first example, but another pool: questions retrieve other examples, so other answers.
    expect(evaluatedAlike(one([ex(1), ex(2), ex(3)]), one([ex(1), ex(9)]))).toBe(false);
    expect(evaluatedAlike(one([ex(1), ex(2)]), one([ex(1), ex(2)]))).toBe(true);
  });

  it('tells apart another prompt or another count per question, and ignores a pool none is retrieved from', () => {
    expect(evaluatedAlike(one([ex(1)]), sampleArtifact({ systemPrompt: 'Be kind.', icl: [ex(1)] }))).toBe(false);
    expect(evaluatedAlike(one([ex(1), ex(2)], 1), one([ex(1), ex(2)], 2))).toBe(false);
    expect(evaluatedAlike(one([ex(1)], 0), one([ex(2)], 0))).toBe(true);
    // What is not sent to the model does not count (a saved closest candidate keeps its run's scores and names).
    expect(evaluatedAlike(one([ex(1)]), { ...one([ex(1)]), name: 'Other', preset: 'thorough' })).toBe(true);
  });
});

/** Finding 1 of the trust audit: the page (512) and the CLI (1024) scored one file with different answer lengths. */
describe('answerLength: one default answer length for the page and drpo eval', () => {
  const recording = (policy: unknown) =>
    sampleArtifact({ settings: { iclKInference: 1, maxTokens: { policy, aspect: 120, judge: 220, optimizer: 350 } } });

  it("is the answer length the alignment's run gave its policy", () => {
    const l = answerLength([{ artifact: recording(320) }]);
    expect(l).toEqual({ maxTokens: 320, recorded: [320], unrecorded: 0 });
    expect(answerLengthSource(l, 1)).toBe('as the alignment’s run answered');
    const two = answerLength([{ artifact: recording(320) }, { artifact: recording(320) }]);
    expect(two).toEqual({ maxTokens: 320, recorded: [320], unrecorded: 0 });
    expect(answerLengthSource(two, 2)).toBe('as the alignments’ runs answered');
  });

  it('takes the longest when the runs differ: one length for every row, none cut shorter than in its run', () => {
    const l = answerLength([
      { artifact: recording(2048) },
      { artifact: recording(320) },
      { artifact: sampleArtifact() },
    ]);
    expect(l).toEqual({ maxTokens: 2048, recorded: [320, 2048], unrecorded: 1 });
    expect(answerLengthSource(l, 3)).toBe(
      'the longest the alignments’ runs answered with (320 and 2048; 1 file records none)',
    );
    const some = answerLength([{ artifact: recording(320) }, { artifact: sampleArtifact() }]);
    expect(some).toEqual({ maxTokens: 320, recorded: [320], unrecorded: 1 });
    expect(answerLengthSource(some, 2)).toBe('the one the alignments’ runs answered with (320; 1 file records none)');
    const differ = answerLength([{ artifact: recording(1024) }, { artifact: recording(320) }]);
    expect(answerLengthSource(differ, 2)).toBe('the longest the alignments’ runs answered with (320 and 1024)');
  });

  it('falls back to the one default when no alignment records a usable one, or none is chosen', () => {
    expect(DEFAULT_ANSWER_TOKENS).toBe(1024);
    const none = answerLength([]);
    expect(none).toEqual({ maxTokens: DEFAULT_ANSWER_TOKENS, recorded: [], unrecorded: 0 });
    expect(answerLengthSource(none, 0)).toBeNull();
    // A converted or older file (no maxTokens), and values no run could have used, count as none recorded.
    for (const bad of [undefined, 0, 8, 1.5, 99_999, '320', null]) {
      const l = answerLength([{ artifact: recording(bad) }]);
      expect(l).toEqual({ maxTokens: DEFAULT_ANSWER_TOKENS, recorded: [], unrecorded: 1 });
    }
    expect(answerLength([{ artifact: sampleArtifact({ settings: { maxTokens: 'long' } }) }]).maxTokens).toBe(1024);
    expect(answerLengthSource(answerLength([{ artifact: sampleArtifact() }]), 1)).toBe(
      'the default, as the alignment file records no answer length of its run',
    );
  });
});

describe('an alignment that is its starting prompt, unchanged (audit s32: it read as the run’s gain)', () => {
  const kept = sampleArtifact({
    systemPrompt: BASELINE_PROMPT,
    initialPrompt: BASELINE_PROMPT,
    icl: [],
    examplesPerQuery: 0,
    outcome: 'no-improvement',
  });

  it('is marked unchanged among the candidates, unless examples are added to it', () => {
    const [quick, other] = evalCandidates({
      chosen: [
        { name: 'DRPO Quick', artifact: kept },
        { name: 'Rewritten', artifact: sampleArtifact() },
      ],
      noSystem: true,
    });
    expect(quick).toMatchObject({ label: 'DRPO Quick', unchanged: true });
    expect(other!.unchanged).toBeUndefined();
    const withPool = { ...kept, icl: [{ query: 'Q?', answer: 'A.' }] };
    expect(evalCandidates({ chosen: [{ name: 'K', artifact: withPool }], iclK: 1 })[0]!.unchanged).toBeUndefined();
    expect(evalCandidates({ chosen: [{ name: 'K', artifact: withPool }], iclK: 0 })[0]!.unchanged).toBe(true);
  });

  it('is named so when it leads or trails a reference, and its lead is not called an improvement', () => {
    const mine = { ...cand('DRPO Quick', [3.5, 3.3, 3.9, 3.1, 3.5, 3.3, 3.9, 3.1]), unchanged: true as const };
    const [g] = unconfirmedGains(report([mine, cand('No system prompt', 3.4)]));
    expect(describeUnconfirmedGain(g!)).toMatch(
      /^“DRPO Quick” \(your starting prompt, unchanged\) scored higher than no system prompt at all \(3\.45 vs 3\.40 overall on 8 questions\), but the gap may be noise \(.*\): these questions do not confirm that it does better\.$/,
    );
    expect(describeUnconfirmedGain(g!)).not.toMatch(/improvement/);
    const [b] = belowReferences(report([{ ...cand('DRPO Quick', 3), unchanged: true }, cand('No system prompt', 3.5)]));
    expect(describeBelow(b!)).toBe(
      '“DRPO Quick” (your starting prompt, unchanged) scored lower than no system prompt at all (3.00 vs 3.50 overall on 8 questions).',
    );
    expect(describeUnchanged('DRPO Quick')).toBe(
      '“DRPO Quick” (your starting prompt, unchanged): its run found no improvement, so its scores here are your starting prompt’s, not a gain of the run.',
    );
  });
});

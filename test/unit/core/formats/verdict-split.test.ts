/**
 * The verdict's words say which held-out questions it rests on: the final check's race chose the candidate
 * on some of them, the verdict was taken on questions kept back (heldOutQueries / raceQueries /
 * keptBackQueries, optional in v1).
 */
import { describe, expect, it } from 'vitest';
import { validateArtifact } from '../../../../src/core/formats/alignment-file';
import { describeVerdict, verdictBasis, verdictLine, verdictSummary } from '../../../../src/core/words/verdict-text';
import { closestCandidate } from '../../../../src/core/formats/closest-candidate';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../../src/core/formats/link-codec';
import { fellShortArtifact, nothingLedArtifact, sampleArtifact } from '../../../support/artifacts';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';

const improved = (scores: Partial<AlignmentArtifact['scores']>) =>
  sampleArtifact({
    outcome: 'improved',
    judge: { id: 'llama-3.1-70b', engine: 'openai' },
    scores: { train: 4, validation: 3.4, initialValidation: 2.9, validationStandardError: 0.2, ...scores },
  });

describe('the verdict says how many of the held-out questions it rests on', () => {
  it('improved: "on 2 of your 4 held-out questions (the other 2 were used to pick it)", the CLI line the same', () => {
    const a = improved({ validationQueries: 2, heldOutQueries: 4, raceQueries: 2, keptBackQueries: 2 });
    const said =
      'It scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 2 of your 4 held-out questions (the other 2 were used to pick it).';
    expect(describeVerdict(a).sentence).toBe(said);
    // The CLI's line has no heading above it: it opens with the lead.
    expect(verdictLine(a)).toBe(`Better than your starting prompt: i${said.slice(1)}`);
    // Someone a link reached did not hold them out.
    expect(describeVerdict(a, 'recipient').sentence).toMatch(/on 2 of the run’s 4 held-out questions \(the other 2/);
    expect(verdictBasis(a)).toBe('verdict');
  });

  it('a race that stopped early, or an unreadable answer, is not counted as "the other", and says why', () => {
    // The counts said add up to all held out: the questions a settled race never asked, and those left
    // out because a rating could not be read, are named, or a reader wonders where they went.
    const a = improved({ validationQueries: 3, heldOutQueries: 6, raceQueries: 2, keptBackQueries: 3 });
    expect(describeVerdict(a).sentence).toMatch(
      /on 3 of your 6 held-out questions \(2 others were used to pick it; the pick was clear before the last one\)\.$/,
    );
    const unread = improved({ validationQueries: 2, heldOutQueries: 6, raceQueries: 3, keptBackQueries: 3 });
    expect(describeVerdict(unread).sentence).toMatch(
      /on 2 of your 6 held-out questions \(3 others were used to pick it; 1 could not be rated\)\.$/,
    );
    // The audit's quick run: 12 held out, 6 kept back, the race settled after 4 of its 6.
    const quick = improved({ validationQueries: 6, heldOutQueries: 12, raceQueries: 4, keptBackQueries: 6 });
    const said =
      'on 6 of your 12 held-out questions (4 others were used to pick it; the pick was clear before the last 2).';
    expect(describeVerdict(quick).sentence.endsWith(said)).toBe(true);
    // The CLI prints the same words.
    expect(verdictLine(quick)).toContain(said);
    // Both at once.
    const both = improved({ validationQueries: 5, heldOutQueries: 12, raceQueries: 4, keptBackQueries: 6 });
    expect(describeVerdict(both).sentence).toMatch(
      /\(4 others were used to pick it; the pick was clear before the last 2; 1 could not be rated\)\.$/,
    );
  });

  it('no improvement with a candidate: the same split, and the closest candidate keeps it', () => {
    const a = fellShortArtifact({}, {});
    a.scores = { ...a.scores, validationQueries: 3, heldOutQueries: 6, raceQueries: 3, keptBackQueries: 3 };
    expect(describeVerdict(a).sentence).toBe(
      'No improvement found: the best the search produced scored 3.31 vs 3.08 for the starting prompt (+0.23 ± 0.27) on 3 of your 6 held-out questions (the other 3 were used to pick it), not clearly better, so this is the starting prompt. Keep your prompt, or run again with the Paper or Thorough preset.',
    );
    expect(describeVerdict(closestCandidate(a)!).sentence).toMatch(
      /^Not clearly better than the starting prompt: it scored 3\.31 vs 3\.08 for the starting prompt \(\+0\.23 ± 0\.27\) on 3 of your 6 held-out questions \(the other 3 were used to pick it\)\./,
    );
    expect(verdictBasis(a)).toBe('verdict');
  });

  it('no improvement with nothing ahead in the race: its figures are the race’s, and the kept-back questions went unused', () => {
    const a = nothingLedArtifact();
    expect(describeVerdict(a).sentence).toBe(
      'No improvement found: nothing the search produced beat the starting prompt on the 3 of your 6 held-out questions that choose a candidate (the other 3, kept back for the verdict, were not needed), so this is the starting prompt. Keep your prompt, or run again with the Paper or Thorough preset.',
    );
    expect(verdictBasis(a)).toBe('race');
  });

  it('a race that settled early: the questions it skipped are not called kept back', () => {
    // Quick's shape: 12 held out, 6 kept back, rounds of 2; nothing led and the race settled after 4.
    const a = nothingLedArtifact();
    a.scores = { ...a.scores, validationQueries: 4, heldOutQueries: 12, raceQueries: 4, keptBackQueries: 6 };
    expect(describeVerdict(a).sentence).toMatch(
      /^No improvement found: nothing the search produced beat the starting prompt on 4 of your 12 held-out questions \(6 others, kept back for the verdict, were not needed; the pick was clear before the last 2\), so this/,
    );
    expect(verdictBasis(a)).toBe('race');
  });

  it('one question kept back and unused: "the other 1 … was", "1 other … was"', () => {
    const a = nothingLedArtifact();
    a.scores = { ...a.scores, validationQueries: 2, heldOutQueries: 3, raceQueries: 2, keptBackQueries: 1 };
    expect(describeVerdict(a).sentence).toMatch(
      /on the 2 of your 3 held-out questions that choose a candidate \(the other 1, kept back for the verdict, was not needed\), so this/,
    );
    a.scores = { ...a.scores, validationQueries: 1, heldOutQueries: 4, raceQueries: 3, keptBackQueries: 1 };
    expect(describeVerdict(a).sentence).toMatch(
      /on 1 of your 4 held-out questions \(1 other, kept back for the verdict, was not needed; /,
    );
  });

  it('a lead on questions that also chose it (none kept back) is "not verified", never a gain', () => {
    // One held-out question (the audit's 3-question file): what older runs wrote as "improved", and what
    // runs now write as "unverified", read the same.
    for (const outcome of ['improved', 'unverified'] as const) {
      const one = improved({ validationQueries: 1, heldOutQueries: 1, raceQueries: 1, keptBackQueries: 0 });
      one.outcome = outcome;
      const v = describeVerdict(one);
      expect(v.kind).toBe('unverified');
      expect(v.lead).toBe('Not verified');
      expect(v.caveat).toBeUndefined();
      expect(v.sentence).toBe(
        'Not verified: it scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 1 held-out question, but that question was also used to pick it (none were kept back to check it on), so this does not show a gain. Evaluate it against your prompt on more questions before you rely on it.',
      );
      expect(verdictLine(one)).toMatch(
        /so this does not show a gain\. Compare it with your prompt on more questions before you rely on it \(the drpo eval command below\)\.$/,
      );
      expect(describeVerdict(one, 'recipient').sentence).toMatch(/to check it on\), so this does not show a gain\.$/);
      // Its figures are the race's, not a verdict's; History says "not verified".
      expect(verdictBasis(one)).toBe('race');
      expect(verdictSummary(one)).toEqual({ kind: 'unverified', words: 'not verified: 3.40 vs 2.90' });
    }
    // An older file that records only that one question was held out: the same.
    const bare = improved({ validationQueries: 1, heldOutQueries: 1 });
    expect(describeVerdict(bare).lead).toBe('Not verified');
    // verdictQueries 0 and a race that settled after 4 of 12: the same 4 chose and judged it.
    const none = improved({ validationQueries: 4, heldOutQueries: 12, raceQueries: 4, keptBackQueries: 0 });
    expect(describeVerdict(none).sentence).toMatch(
      /\) on 4 held-out questions, but those questions were also used to pick it \(none were kept back to check it on\), so this does not show a gain\./,
    );
    // Two held out keep one back: its verdict was taken on a question the choice never saw.
    const two = improved({ validationQueries: 1, heldOutQueries: 2, raceQueries: 1, keptBackQueries: 1 });
    expect(describeVerdict(two).kind).toBe('improved');
    expect(verdictBasis(two)).toBe('verdict');
  });

  it('older files, and a check with nothing kept back, keep the plain count', () => {
    expect(describeVerdict(improved({ validationQueries: 8 })).sentence).toMatch(/on 8 held-out questions\.$/);
    const led = nothingLedArtifact();
    led.scores = { ...led.scores, validationQueries: 4, heldOutQueries: 12, raceQueries: 4, keptBackQueries: 0 };
    expect(describeVerdict(led).sentence).toMatch(/on 4 held-out questions by more than the noise/);
    expect(verdictBasis(led)).toBe('verdict');
    // Files written before the kept-back count was recorded: "all − race" is not trusted.
    const { keptBackQueries: _, ...unsure } = nothingLedArtifact().scores;
    const before = nothingLedArtifact({ scores: unsure });
    expect(describeVerdict(before).sentence).toMatch(/on 3 held-out questions by more than the noise/);
    // Its figures are still labelled by where they almost always come from: the race (3 of 6 raced).
    expect(verdictBasis(before)).toBe('race');
    const olderImproved = improved({ validationQueries: 4, heldOutQueries: 12, raceQueries: 4 });
    expect(describeVerdict(olderImproved).sentence).toMatch(/\) on 4 held-out questions\.$/);
    expect(verdictBasis(sampleArtifact({ scores: { train: 3 } }))).toBe('none');
  });

  it('the counts are part of format v1: validated, kept in files and share links, refused when malformed', async () => {
    const a = improved({ validationQueries: 2, heldOutQueries: 4, raceQueries: 2, keptBackQueries: 2 });
    const r = validateArtifact(JSON.parse(JSON.stringify(a)));
    expect(r.ok && r.artifact.scores).toEqual(a.scores);
    const link = await decodeAlignmentLink((await encodeAlignmentLink(a)).fragment);
    expect(link.ok && link.artifact.scores).toMatchObject({ heldOutQueries: 4, raceQueries: 2, keptBackQueries: 2 });
    const bad = validateArtifact({ ...a, scores: { ...a.scores, raceQueries: 1.5, keptBackQueries: -1 } });
    expect(bad.ok ? [] : bad.errors).toEqual([
      'scores.raceQueries: must be a whole number ≥ 0',
      'scores.keptBackQueries: must be a whole number ≥ 0',
    ]);
  });
});

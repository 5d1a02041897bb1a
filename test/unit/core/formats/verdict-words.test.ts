/**
 * The verdict's words that tell a user what to do and how a result compares: the advice after "no
 * improvement" fits the preset that ran (and the place it is read), a compared candidate's heading agrees
 * with its comparison, and History's few words say the same outcome as the Result.
 */
import { describe, expect, it } from 'vitest';
import {
  describeVerdict,
  SELF_JUDGED_CAVEAT,
  refersToEvalCommand,
  uncheckedBecause,
  verdictLine,
  verdictSummary,
} from '../../../../src/core/words/verdict-text';
import { closestCandidate } from '../../../../src/core/formats/closest-candidate';
import { fellShortArtifact, nothingLedArtifact, sampleArtifact } from '../../../support/artifacts';

describe('after "no improvement", the advice fits the preset', () => {
  it('after quick: a bigger preset, named as the page and the CLI name it', () => {
    const a = fellShortArtifact({}, { preset: 'quick' });
    expect(describeVerdict(a).sentence).toMatch(/ Keep your prompt, or run again with the Paper or Thorough preset\.$/);
    expect(verdictLine(a)).toMatch(/ Keep your prompt, or run again with --preset paper or --preset thorough\.$/);
  });

  it('after paper or thorough no preset searches longer: a larger judge, more training questions, or keep it', () => {
    for (const preset of ['paper', 'thorough']) {
      for (const a of [fellShortArtifact({}, { preset }), nothingLedArtifact({ preset })]) {
        const page = describeVerdict(a).sentence;
        expect(page).toMatch(
          / Keep your prompt, bind a larger judge \(Setup → Advanced\), or add training questions \(Data\)\.$/,
        );
        expect(page).not.toMatch(/longer preset|paper or thorough/i);
        expect(verdictLine(a)).toMatch(
          / Keep your prompt, bind a larger judge \(--judge-model\), or add training questions \(--train\)\.$/,
        );
      }
    }
  });

  it('with too few questions for a longer run to help, more questions first, on the page and in the CLI alike', () => {
    // 8 training questions: 4 held out of quick's 12. paper and thorough would check on the same 4.
    const small = (preset: string) =>
      fellShortArtifact({}, { preset, settings: { validationSize: preset === 'quick' ? 12 : 32 } });
    const a = small('quick');
    a.scores = { ...a.scores, validationQueries: 2, heldOutQueries: 4, raceQueries: 2, keptBackQueries: 2 };
    expect(describeVerdict(a).sentence).toMatch(
      / Keep your prompt, or add questions first \(Data\): only 4 questions were held out for the final check, too few to tell a small gain from noise, and a longer preset would check on the same 4\.$/,
    );
    expect(verdictLine(a)).toMatch(
      / Keep your prompt, or add questions first \(--train or --validation\): only 4 questions were .* on the same 4\.$/,
    );
    expect(verdictLine(a)).not.toMatch(/paper|thorough/);
    const p = small('paper');
    p.scores = { ...a.scores };
    expect(verdictLine(p)).toMatch(
      / Keep your prompt, or add questions first \(--train or --validation\): .* small gain from noise\.$/,
    );
    // As many held out as the preset holds: the data is not what limits the check, and the preset advice stands.
    const full = small('quick');
    full.scores = { ...a.scores, heldOutQueries: 12 };
    expect(verdictLine(full)).toMatch(/ Keep your prompt, or run again with --preset paper or --preset thorough\.$/);
  });

  it('with fewer training questions than the levels ask for, more training questions first, page and CLI alike', () => {
    // quick: 4 levels after the start's, 2 questions each = 10 asked; 6 training questions were asked again.
    const tiny = (preset: string, trainQueries: number) => {
      const a = fellShortArtifact({}, { preset, settings: { validationSize: 6, depth: 4, queriesPerLevel: 2 } });
      a.scores = { ...a.scores, heldOutQueries: 6, trainQueries };
      return a;
    };
    const a = tiny('quick', 6);
    expect(describeVerdict(a).sentence).toMatch(
      / Keep your prompt, or add training questions first \(Data\): the search had only 6, fewer than its levels ask for \(10\), so it asked the same ones again, and a longer preset would ask them again more often\.$/,
    );
    expect(verdictLine(a)).toMatch(
      / Keep your prompt, or add training questions first \(--train\): the search had only 6, /,
    );
    expect(verdictLine(a)).not.toMatch(/--preset/);
    // No longer preset after thorough: the rest of the advice as after quick.
    expect(verdictLine(tiny('thorough', 6))).toMatch(/ so it asked the same ones again\.$/);
    // Enough for every level: the preset advice stands; a file that does not say (older) keeps it too.
    expect(verdictLine(tiny('quick', 10))).toMatch(
      / Keep your prompt, or run again with --preset paper or --preset thorough\.$/,
    );
    const older = tiny('quick', 6);
    delete older.scores.trainQueries;
    expect(verdictLine(older)).toMatch(/ Keep your prompt, or run again with --preset paper or --preset thorough\.$/);
  });

  it('whoever a link reaches gets no advice', () => {
    const a = fellShortArtifact({}, { preset: 'paper' });
    expect(describeVerdict(a, 'recipient').sentence).toMatch(/so this is the starting prompt\.$/);
  });
});

describe('the CLI and the page each name their own next step', () => {
  it('a self-judged gain: confirm it in Evaluate (page) or with drpo eval --starting --judge-model (CLI)', () => {
    const a = sampleArtifact({
      outcome: 'improved',
      scores: { train: 4, validation: 3.4, initialValidation: 2.9, validationQueries: 8 },
    });
    expect(describeVerdict(a).caveat).toBe(SELF_JUDGED_CAVEAT);
    expect(SELF_JUDGED_CAVEAT).toMatch(/confirm the gain in Evaluate with a larger judge/);
    const cli = describeVerdict(a, 'owner', 'cli').caveat!;
    // The CLI prints the complete command itself (only it knows the address and the file): the caveat points to it.
    expect(cli).toMatch(
      /confirm the gain with a larger judge \(the drpo eval command below\) before you rely on it\.$/,
    );
    expect(cli).not.toMatch(/Evaluate|FILE|LARGER/);
    expect(refersToEvalCommand(a)).toBe(true);
    expect(refersToEvalCommand({ ...a, judge: { id: 'other-judge', engine: 'openai' } })).toBe(false);
  });

  it('an alignment stopped by its budget says the budget, when the reader knows it was', () => {
    const a = sampleArtifact({ outcome: 'unverified' });
    const budget = 'Not checked against the starting prompt (the run’s budget ran out before its final check was done)';
    expect(verdictLine(a, 'budget')).toMatch(new RegExp(`^${budget.replace(/[()]/g, '\\$&')}`));
    expect(describeVerdict(a, 'owner', 'page', 'budget').sentence.startsWith(budget)).toBe(true);
    // Not knowing why, both causes are named.
    expect(verdictLine(a)).toMatch(/\(the run held out no questions or stopped early\)/);
  });

  it('an unchecked alignment says the one cause that happened, from how its run ended (audit)', () => {
    const a = sampleArtifact({ outcome: 'unverified' });
    const why = (status: Parameters<typeof uncheckedBecause>[0]) =>
      /^Not checked against the starting prompt \((.*)\); evaluate it/.exec(
        describeVerdict(a, 'owner', 'page', uncheckedBecause(status)).sentence,
      )?.[1];
    // A finished run checks its result whenever it has held-out questions: finished unchecked, it had none.
    expect(why('completed')).toBe('the run had no held-out questions to check it on');
    expect(why('cancelled')).toBe('the run was cancelled before its final check');
    expect(why('failed')).toBe('the run stopped before its final check');
    expect(why('budget-exhausted')).toBe('the run’s budget ran out before its final check was done');
    for (const status of ['completed', 'cancelled', 'failed', 'budget-exhausted'] as const) {
      expect(why(status)).not.toMatch(/ or /);
      // The CLI says the same.
      expect(verdictLine(a, uncheckedBecause(status))).toContain(`(${why(status)})`);
    }
    // A run set to check on no held-out questions says so in its own file, on a share page too.
    const unset = sampleArtifact({ outcome: 'unverified', settings: { validationSize: 0 } });
    expect(describeVerdict(unset, 'recipient').sentence).toContain(
      '(the run had no held-out questions to check it on)',
    );
  });
});

describe('the heading agrees with the comparison', () => {
  it('a closest candidate is headed "No better" / "Not clearly better", not "Not verified"', () => {
    const lower = closestCandidate(fellShortArtifact({ validation: 2.9 }))!;
    for (const audience of ['owner', 'recipient'] as const) {
      const v = describeVerdict(lower, audience);
      expect(v.kind).toBe('unverified');
      expect(v.lead).toBe('No better than the starting prompt');
      expect(v.sentence.startsWith(`${v.lead}: it scored 2.90 vs 3.08`)).toBe(true);
    }
    expect(describeVerdict(closestCandidate(fellShortArtifact())!).lead).toBe(
      'Not clearly better than the starting prompt',
    );
  });

  it('other outcomes keep their headings', () => {
    const improved = sampleArtifact({
      outcome: 'improved',
      scores: { train: 4, validation: 3.4, initialValidation: 2.9, validationQueries: 8 },
    });
    expect(describeVerdict(improved).lead).toBe('Better than your starting prompt');
    expect(describeVerdict(improved, 'recipient').lead).toBe('Better than its starting prompt');
    expect(describeVerdict(fellShortArtifact()).lead).toBe('No improvement found');
    expect(describeVerdict(sampleArtifact({ outcome: 'unverified' })).lead).toBe('Not verified');
    expect(describeVerdict(sampleArtifact()).lead).toBe('Not verified');
  });
});

describe('verdictSummary: the outcome in a few words, for History', () => {
  it('improved with its verdict figures, no improvement, a closest candidate, not verified', () => {
    const improved = sampleArtifact({
      outcome: 'improved',
      scores: { train: 4.04, validation: 3.53, initialValidation: 3.19, validationQueries: 6 },
    });
    expect(verdictSummary(improved)).toEqual({ kind: 'improved', words: 'improved: 3.53 vs 3.19' });
    expect(verdictSummary(fellShortArtifact())).toEqual({ kind: 'no-improvement', words: 'no improvement' });
    expect(verdictSummary(nothingLedArtifact())).toEqual({ kind: 'no-improvement', words: 'no improvement' });
    expect(verdictSummary(closestCandidate(fellShortArtifact({ validation: 3.39 }))!)).toEqual({
      kind: 'unverified',
      words: 'not clearly better: 3.39 vs 3.08',
    });
    expect(verdictSummary(closestCandidate(fellShortArtifact({ validation: 2.9 }))!).words).toBe(
      'no better: 2.90 vs 3.08',
    );
    // Not compared (stopped early, no held-out questions), and older or imported files.
    expect(verdictSummary(sampleArtifact({ outcome: 'unverified' }))).toEqual({
      kind: 'unverified',
      words: 'not verified',
    });
    expect(verdictSummary(sampleArtifact()).words).toBe('not verified');
  });
});

describe('the figures shown add up, and the words follow them', () => {
  const improved = (validation: number, initialValidation: number) =>
    sampleArtifact({
      outcome: 'improved',
      judge: { id: 'big-judge', engine: 'openai' },
      scores: { train: 4, validation, initialValidation, validationQueries: 8, validationStandardError: 0.2 },
    });

  it('the difference shown is the difference of the figures shown', () => {
    // 3.406 − 2.894 = 0.512, but the reader sees 3.41 and 2.89.
    expect(describeVerdict(improved(3.406, 2.894)).sentence).toContain(
      '3.41 vs 2.89 for the starting prompt (+0.52 ± 0.20)',
    );
  });

  it('equal figures show no sign and read "no better"; a candidate level on the figures is never "not clearly better"', () => {
    const below = fellShortArtifact({ validation: 2.998, standardError: 0.3 }, {});
    below.scores.initialValidation = 3;
    expect(describeVerdict(below).sentence).toContain('3.00 vs 3.00 for the starting prompt (0.00 ± 0.30)');
    expect(describeVerdict(below).sentence).toMatch(/, no better, so this is the starting prompt/);
    const above = fellShortArtifact({ validation: 3.001, standardError: 0.3 }, {});
    above.scores.initialValidation = 3;
    expect(describeVerdict(above).sentence).toContain('(0.00 ± 0.30)');
    expect(describeVerdict(above).sentence).toMatch(/, no better, so this is the starting prompt/);
    const closest = closestCandidate(above)!;
    expect(describeVerdict(closest).lead).toBe('No better than the starting prompt');
    expect(verdictSummary(closest).words).toBe('no better: 3.00 vs 3.00');
    for (const a of [below, above, closest]) expect(describeVerdict(a).sentence).not.toMatch(/[+−]0\.00/);
  });
});

describe('the CLI says what the page says above its sentence', () => {
  it('an improved run’s last line opens with its lead', () => {
    const a = sampleArtifact({
      outcome: 'improved',
      judge: { id: 'big-judge', engine: 'openai' },
      scores: {
        train: 4,
        validation: 3.4,
        initialValidation: 2.9,
        validationQueries: 8,
        validationStandardError: 0.2,
        heldOutQueries: 16,
        raceQueries: 8,
        keptBackQueries: 8,
      },
    });
    expect(verdictLine(a)).toBe(
      'Better than your starting prompt: it scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 8 of your 16 held-out questions (the other 8 were used to pick it).',
    );
    // The page keeps the lead as the heading above the sentence.
    expect(describeVerdict(a).sentence).toMatch(/^It scored 3\.40 vs 2\.90/);
  });
});

describe('a weak lead says how often luck alone gives one', () => {
  const improved = (validation: number, se: number, questions: number) =>
    sampleArtifact({
      outcome: 'improved',
      scores: {
        train: 4,
        validation,
        initialValidation: 2.58,
        validationQueries: questions,
        validationStandardError: se,
        heldOutQueries: 2 * questions,
        raceQueries: questions,
        keptBackQueries: questions,
      },
    });

  it('a lead of about one standard error on 6 questions: about 1 run in 6, on the page and the CLI line', () => {
    // A self-judged "better" on a scripted endpoint whose scores are pure noise (audit: 13 of 80 runs).
    const a = improved(3.17, 0.54, 6);
    const luck =
      ' A lead this large turns up by chance in about 1 run in 6 when both prompts are equally good, so it may be luck.';
    expect(describeVerdict(a).sentence).toMatch(
      /on 6 of your 12 held-out questions \(the other 6 were used to pick it\)\./,
    );
    expect(describeVerdict(a).sentence.endsWith(luck)).toBe(true);
    expect(verdictLine(a)).toContain(luck);
  });

  it('a lead luck gives less than 1 run in 20 is said as before, with no such sentence', () => {
    expect(describeVerdict(improved(3.4, 0.2, 8)).sentence).not.toMatch(/by chance/);
    expect(describeVerdict(improved(3.4, 0.35, 16)).sentence).not.toMatch(/by chance/);
    // 1.7 standard errors on 4 questions is still weak (few questions, wide tails).
    expect(describeVerdict(improved(3.1, 0.3, 4)).sentence).toMatch(/about 1 run in \d+ /);
  });
});

describe('a verdict taken whose ratings could not be read', () => {
  it('says the race’s leader could not be compared, not that nothing beat the start', () => {
    const a = sampleArtifact({
      outcome: 'no-improvement',
      scores: { train: 4, heldOutQueries: 12, raceQueries: 6, keptBackQueries: 6 },
    });
    const { sentence } = describeVerdict(a);
    expect(sentence).toMatch(
      /^No improvement found: a candidate led the race, but it could not be compared with the starting prompt: the judge’s ratings on the 6 questions kept back for the verdict could not be read, so this is the starting prompt\./,
    );
    expect(sentence).not.toMatch(/nothing the search produced/);
    expect(verdictLine(a)).toMatch(/^No improvement found: a candidate led the race, but it could not be compared/);
    // Nothing led, with the race's figures: as before.
    expect(describeVerdict(nothingLedArtifact()).sentence).toMatch(
      /nothing the search produced beat the starting prompt/,
    );
  });
});

describe('after "no improvement", the closest candidate is named for what it is', () => {
  it('the starting prompt with worked examples is "your prompt with …", not something "the search produced"', () => {
    const start = 'You are a helpful assistant.';
    const a = fellShortArtifact({ systemPrompt: start, examplesPerQuery: 2, lineage: [] });
    expect(describeVerdict(a).sentence).toMatch(
      /^No improvement found: your prompt with 2 worked examples per question scored 3\.31 vs 3\.08 /,
    );
    expect(describeVerdict(a, 'recipient').sentence).toMatch(
      /^No improvement found: its prompt with 2 worked examples per question scored /,
    );
    // A rewrite the search wrote keeps its words.
    expect(describeVerdict(fellShortArtifact()).sentence).toMatch(
      /^No improvement found: the best the search produced /,
    );
  });

  it('your prompt with examples is set against itself "without them", not against "the starting prompt" (audit)', () => {
    // The audit's quick run: the start with 2 examples, 3.92 vs 4.11 on 6 of 12 held out.
    const start = 'You are a helpful assistant.';
    const a = fellShortArtifact({ systemPrompt: start, examplesPerQuery: 2, validation: 3.92, standardError: 0.26 });
    a.scores = {
      ...a.scores,
      validation: 4.11,
      initialValidation: 4.11,
      validationQueries: 6,
      heldOutQueries: 12,
      raceQueries: 6,
      keptBackQueries: 6,
    };
    const said =
      'your prompt with 2 worked examples per question scored 3.92 vs 4.11 without them (−0.19 ± 0.26) on 6 of your 12 held-out questions (the other 6 were used to pick it), no better, so this is the starting prompt.';
    expect(describeVerdict(a).sentence).toBe(
      `No improvement found: ${said} Keep your prompt, or run again with the Paper or Thorough preset.`,
    );
    // The CLI says the same, and names the presets as its flag takes them.
    expect(verdictLine(a)).toBe(
      `No improvement found: ${said} Keep your prompt, or run again with --preset paper or --preset thorough.`,
    );
    // Whoever a link reaches hears "its prompt" and "the run’s" questions.
    expect(describeVerdict(a, 'recipient').sentence).toBe(
      'No improvement found: its prompt with 2 worked examples per question scored 3.92 vs 4.11 without them (−0.19 ± 0.26) on 6 of the run’s 12 held-out questions (the other 6 were used to pick it), no better, so this is the starting prompt.',
    );
    for (const v of [describeVerdict(a).sentence, verdictLine(a), describeVerdict(a, 'recipient').sentence])
      expect(v).not.toMatch(/for the starting prompt/);
    // The closest candidate, handed over on its own, is named the same way.
    const closest = closestCandidate(a)!;
    expect(describeVerdict(closest).sentence).toMatch(
      /^No better than the starting prompt: your prompt with 1 worked example per question scored 3\.92 vs 4\.11 without them \(−0\.19 ± 0\.26\) on 6 of your 12/,
    );
    expect(describeVerdict(closest, 'recipient').sentence).toMatch(/: its prompt with 1 worked example per question /);
    // A rewrite is still set against the starting prompt.
    expect(describeVerdict(closestCandidate(fellShortArtifact())!).sentence).toMatch(
      /: it scored 3\.31 vs 3\.08 for the starting prompt /,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ARTIFACT_LIMITS, stripSecrets, validateArtifact } from '../../../../src/core/formats/alignment-file';
import { readAlignmentText } from '../../../../src/core/formats/alignment-import';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';
import { decodeAlignmentLink, encodeAlignmentLink } from '../../../../src/core/formats/link-codec';
import {
  SELF_JUDGED_CAVEAT,
  selfJudgedCaveat,
  describeVerdict,
  inferenceExamples,
  verdictLead,
  verdictLine,
} from '../../../../src/core/words/verdict-text';
import { fellShortArtifact, sampleArtifact } from '../../../support/artifacts';

const errorsOf = (v: unknown) => {
  const r = validateArtifact(v);
  return r.ok ? [] : r.errors;
};

describe('validateArtifact', () => {
  it('accepts a valid artifact and drops unknown top-level keys', () => {
    const r = validateArtifact({ ...sampleArtifact(), extra: 'x', run: { id: 1 } });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.artifact).toEqual(sampleArtifact());
      expect('extra' in r.artifact).toBe(false);
    }
  });

  it('removes NUL characters from strings', () => {
    const r = validateArtifact(sampleArtifact({ systemPrompt: 'a\u0000b', name: 'n\u0000' }));
    expect(r.ok && r.artifact.systemPrompt).toBe('ab');
    expect(r.ok && r.artifact.name).toBe('n');
  });

  it('removes NUL characters from every string of settings too, names included (as the format doc says)', () => {
    // Parsed from the text of a file, as an import reads it: "\u0000" escapes become NUL characters.
    const settings = JSON.parse(
      '{"note\\u0000":"a\\u0000b","list":[1,"x\\u0000",{"__proto__":"p\\u0000","deep":{"k":"v\\u0000"}}],"on":true,"none":null}',
    ) as Record<string, unknown>;
    const r = validateArtifact(sampleArtifact({ settings }));
    expect(r.ok && r.artifact.settings).toEqual({
      note: 'ab',
      list: [1, 'x', { ['__proto__']: 'p', deep: { k: 'v' } }],
      on: true,
      none: null,
    });
    expect(r.ok && JSON.stringify(r.artifact.settings)).not.toContain('\\u0000');
    // A field named "__proto__" stays a plain field: the copy's prototype is untouched.
    const item = r.ok ? ((r.artifact.settings.list as unknown[])[2] as object) : {};
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(['__proto__', 'deep']);
  });

  it('refuses an empty prompt, a model id of several lines and a score off the 1–5 scale', () => {
    for (const systemPrompt of ['', '  \n', '\u0000\u0000']) {
      expect(errorsOf(sampleArtifact({ systemPrompt }))).toEqual(['systemPrompt: must not be empty']);
    }
    const injected = { id: 'llama3.2\nPARAMETER temperature 2', engine: 'openai' };
    expect(errorsOf(sampleArtifact({ model: injected }))).toEqual(['model.id: must be one line of text']);
    expect(errorsOf(sampleArtifact({ judge: injected }))).toEqual(['judge.id: must be one line of text']);
    const errs = errorsOf(
      sampleArtifact({
        scores: { train: 99, validation: -3, bestCandidate: { validation: 1e308, standardError: 0.2 } },
        lineage: [{ depth: 0, prompt: 'p', reward: 6 }],
      }),
    );
    expect(errs).toEqual([
      'scores.train: must be a score from 0 to 5 (got 99)',
      'scores.validation: must be a score from 0 to 5 (got -3)',
      'scores.bestCandidate.validation: must be a score from 0 to 5 (got 1e+308)',
      'lineage[0].reward: must be a score from 0 to 5 (got 6)',
    ]);
  });

  it('refuses non-objects and other formats', () => {
    expect(errorsOf(null)[0]).toMatch(/JSON object/);
    expect(errorsOf([])[0]).toMatch(/JSON object/);
    expect(errorsOf({ ...sampleArtifact(), format: 'other' })[0]).toMatch(/^format:/);
  });

  it('says when a newer version made the file', () => {
    expect(errorsOf(sampleArtifact({ version: 2 as 1 }))[0]).toMatch(/newer DRPO Studio/);
    expect(errorsOf(sampleArtifact({ version: 0 as 1 }))[0]).toMatch(/^version:/);
  });

  it('names each wrong field', () => {
    const bad = {
      ...sampleArtifact(),
      systemPrompt: 5,
      icl: [{ query: 'q' }],
      model: { id: '', engine: 'webllm' },
      judge: 'x',
      scores: { train: 'high' },
      lineage: [{ depth: -1, prompt: 'p', reward: Number.NaN }],
      createdAt: 'yesterday',
      settings: [],
    };
    const errs = errorsOf(bad).join('\n');
    for (const field of [
      'systemPrompt:',
      'icl[0].answer:',
      'model.id:',
      'judge:',
      'scores.train:',
      'lineage[0].depth:',
      'lineage[0].reward:',
      'createdAt:',
      'settings:',
    ]) {
      expect(errs).toContain(field);
    }
  });

  it('enforces size limits', () => {
    expect(errorsOf(sampleArtifact({ systemPrompt: 'x'.repeat(ARTIFACT_LIMITS.systemPrompt + 1) }))[0]).toMatch(
      /systemPrompt: .*limit is 20000/,
    );
    const icl = Array.from({ length: 17 }, () => ({ query: 'q', answer: 'a' }));
    expect(errorsOf(sampleArtifact({ icl }))[0]).toMatch(/icl: has 17 examples/);
    expect(errorsOf(sampleArtifact({ icl: [{ query: 'q', answer: 'a'.repeat(8001) }] }))[0]).toMatch(
      /icl\[0\]\.answer/,
    );
    const lineage = Array.from({ length: 65 }, (_, i) => ({ depth: i, prompt: 'p', reward: 3 }));
    expect(errorsOf(sampleArtifact({ lineage }))[0]).toMatch(/lineage: has 65 steps/);
  });
});

describe('reading an alignment file (readAlignmentText)', () => {
  it('parses and validates', () => {
    expect(readAlignmentText(JSON.stringify(sampleArtifact())).ok).toBe(true);
  });
  it('explains non-JSON input', () => {
    const r = readAlignmentText('<html>');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/not JSON/);
  });
});

describe('stripSecrets', () => {
  it('removes keys, tokens and URL credentials anywhere in settings', () => {
    const a = sampleArtifact({
      settings: {
        apiKey: 'sk-abcdefghijklmnop',
        Authorization: 'Bearer xyz',
        endpoint: { baseUrl: 'https://user:pass@api.example.com/v1?api_key=123&x=1', headers: { 'X-Key': 'k' } },
        list: ['Bearer abc', 'keep me'],
        nested: { api_key: 'k', token: 't', depth: 3 },
      },
    });
    const out = stripSecrets(a);
    const json = JSON.stringify(out);
    for (const secret of ['sk-abcdefghijklmnop', 'Bearer', 'user:pass', '123', 'X-Key', '"t"']) {
      expect(json).not.toContain(secret);
    }
    expect(out.settings).toEqual({
      endpoint: { baseUrl: 'https://api.example.com/v1?x=1' },
      list: ['keep me'],
      nested: { depth: 3 },
    });
    // The input is not mutated.
    expect((a.settings as { apiKey?: string }).apiKey).toBe('sk-abcdefghijklmnop');
    expect(validateArtifact(out).ok).toBe(true);
  });

  it('scrubs URLs that do not parse as well: their credential parameters go, and with user:password the whole string', () => {
    const a = sampleArtifact({
      settings: { typo: 'http://[oops/v1?token=t0ken&x=1', userinfo: 'http://u:p@[oops/v1' },
    });
    expect(stripSecrets(a).settings).toEqual({ typo: 'http://[oops/v1?x=1' });
  });

  it('drops a key under any credential-like parameter name, and a fragment holding values', () => {
    const a = sampleArtifact({
      settings: {
        azure: 'https://apim.example.com/v1?subscription-key=AZ1&api-version=2024',
        aws: 'https://s3.example.com/v1?X-Amz-Credential=AW1&X-Amz-Signature=AW2&X-Amz-Date=20240101',
        oauth: 'https://h.example.com/v1#access_token=OA1&state=s',
        anchor: 'https://h.example.com/docs#top',
      },
    });
    const out = stripSecrets(a);
    for (const secret of ['AZ1', 'AW1', 'AW2', 'OA1']) expect(JSON.stringify(out)).not.toContain(secret);
    expect(out.settings).toEqual({
      azure: 'https://apim.example.com/v1?api-version=2024',
      aws: 'https://s3.example.com/v1?X-Amz-Date=20240101',
      oauth: 'https://h.example.com/v1',
      anchor: 'https://h.example.com/docs#top',
    });
  });
});

describe('the verdict fields (format v1, optional)', () => {
  const verdict: Partial<AlignmentArtifact> = {
    initialPrompt: 'You are a helpful assistant.',
    examplesPerQuery: 0,
    outcome: 'improved',
    scores: { train: 4.1, validation: 3.4, initialValidation: 2.9, validationQueries: 8, validationStandardError: 0.2 },
  };
  /** A run whose best candidate reached the verdict and fell short. */
  const fellShort: Partial<AlignmentArtifact> = {
    ...verdict,
    outcome: 'no-improvement',
    scores: {
      train: 3,
      validation: 2.9,
      initialValidation: 2.9,
      validationQueries: 6,
      bestCandidate: { validation: 3.1, standardError: 0.3 },
    },
  };

  it('round-trip through validation', () => {
    const r = validateArtifact(sampleArtifact(verdict));
    expect(r.ok && r.artifact).toEqual(sampleArtifact(verdict));
    const back = validateArtifact(sampleArtifact(fellShort));
    expect(back.ok && back.artifact).toEqual(sampleArtifact(fellShort));
    // Newer files also carry the candidate itself, with its examples.
    const near = validateArtifact(fellShortArtifact());
    expect(near.ok && near.artifact).toEqual(fellShortArtifact());
  });

  it('are refused with a named field when malformed', () => {
    expect(errorsOf(sampleArtifact({ outcome: 'better' as never }))).toEqual([
      'outcome: must be one of "improved", "no-improvement", "unverified"',
    ]);
    expect(errorsOf(sampleArtifact({ examplesPerQuery: 2.5 }))).toEqual([
      'examplesPerQuery: must be a whole number from 0 to 16',
    ]);
    expect(errorsOf(sampleArtifact({ scores: { train: 1, validationQueries: -1 } }))).toEqual([
      'scores.validationQueries: must be a whole number ≥ 0',
    ]);
    expect(errorsOf(sampleArtifact({ scores: { train: 1, initialValidation: 'x' as never } }))).toEqual([
      'scores.initialValidation: must be a number',
    ]);
    expect(errorsOf(sampleArtifact({ scores: { train: 1, bestCandidate: 3 as never } }))).toEqual([
      'scores.bestCandidate: must be an object like {"validation": 3.1, "standardError": 0.3}',
    ]);
    expect(errorsOf(sampleArtifact({ scores: { train: 1, bestCandidate: { validation: 3 } as never } }))).toEqual([
      'scores.bestCandidate.standardError: must be a number',
    ]);
    const near = (extra: Record<string, unknown>) =>
      errorsOf(
        sampleArtifact({ scores: { train: 1, bestCandidate: { validation: 3, standardError: 0.3, ...extra } } }),
      );
    expect(near({ examplesPerQuery: -1 })).toEqual([
      'scores.bestCandidate.examplesPerQuery: must be a whole number from 0 to 16',
    ]);
    expect(near({ systemPrompt: 7 })).toEqual(['scores.bestCandidate.systemPrompt: must be text']);
    expect(near({ lineage: [{ depth: -1, prompt: 'p', reward: 3 }] })).toEqual([
      'scores.bestCandidate.lineage[0].depth: must be a whole number ≥ 0',
    ]);
    expect(near({ icl: [{ query: 'q' }] })[0]).toMatch(/^scores\.bestCandidate\.icl\[0\]\.answer/);
  });

  it('read in words: improved, no improvement, unverified', () => {
    // The sample's model judged itself: the claim comes with where to confirm it.
    expect(describeVerdict(sampleArtifact(verdict))).toEqual({
      kind: 'improved',
      lead: 'Better than your starting prompt',
      sentence: 'It scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 8 held-out questions.',
      caveat: SELF_JUDGED_CAVEAT,
    });
    // The CLI's last line: the lead (no heading above it there), the sentence, then the caveat in the CLI's
    // words (no Evaluate view there).
    expect(verdictLine(sampleArtifact(verdict))).toBe(
      `Better than your starting prompt: it scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 8 held-out questions. ${selfJudgedCaveat('cli')}`,
    );
    // The same weights behind an endpoint are the same judge: under the same id, or the Ollama tag.
    for (const sameWeights of [
      { id: 'qwen2.5-0.5b-instruct-q4f16_1-mlc', engine: 'openai' },
      { id: 'qwen2.5:0.5b', engine: 'openai' },
    ])
      expect(describeVerdict(sampleArtifact({ ...verdict, judge: sameWeights })).caveat).toBe(SELF_JUDGED_CAVEAT);
    // A bigger model of the same family is another judge.
    const bigger = { id: 'qwen2.5:7b', engine: 'openai' };
    expect(describeVerdict(sampleArtifact({ ...verdict, judge: bigger })).caveat).toBeUndefined();
    // Another judge (a bigger endpoint model), or ids nobody recorded: no caveat.
    expect(
      describeVerdict(sampleArtifact({ ...verdict, judge: { id: 'llama-3.1-70b', engine: 'openai' } })).caveat,
    ).toBeUndefined();
    const blank = { id: '', engine: 'openai' };
    expect(describeVerdict(sampleArtifact({ ...verdict, model: blank, judge: blank })).caveat).toBeUndefined();
    expect(describeVerdict(sampleArtifact({ ...verdict, outcome: 'no-improvement' })).caveat).toBeUndefined();
    // The start with examples added says where the gain is.
    const start = 'You are a helpful assistant.';
    const withExamples = sampleArtifact({ ...verdict, systemPrompt: start, initialPrompt: start, examplesPerQuery: 1 });
    expect(describeVerdict(withExamples).sentence).toBe(
      'It scored 3.40 vs 2.90 for the starting prompt (+0.50 ± 0.20) on 8 held-out questions: your prompt unchanged, with 1 worked example per question.',
    );
    // Whoever a link reaches reads "its" prompt: "your prompt" would be theirs.
    expect(describeVerdict(withExamples, 'recipient').sentence).toMatch(
      /: its prompt unchanged, with 1 worked example/,
    );
    const none = describeVerdict(sampleArtifact({ ...verdict, outcome: 'no-improvement' }));
    expect(none.kind).toBe('no-improvement');
    expect(none.sentence).toMatch(
      /^No improvement found: .* on 8 held-out questions .* Keep your prompt, or run again with the Paper or Thorough preset\.$/,
    );
    // When a candidate reached the verdict and fell short, the sentence says how close it came.
    expect(describeVerdict(sampleArtifact(fellShort)).sentence).toBe(
      'No improvement found: the best the search produced scored 3.10 vs 2.90 for the starting prompt (+0.20 ± 0.30) on 6 held-out questions, not clearly better, so this is the starting prompt. Keep your prompt, or run again with the Paper or Thorough preset.',
    );
    // Someone a link was shared with gets the same facts, without advice meant for whoever ran it.
    expect(describeVerdict(sampleArtifact(fellShort), 'recipient').sentence).toBe(
      'No improvement found: the best the search produced scored 3.10 vs 2.90 for the starting prompt (+0.20 ± 0.30) on 6 held-out questions, not clearly better, so this is the starting prompt.',
    );
    expect([verdictLead('improved'), verdictLead('improved', 'recipient')]).toEqual([
      'Better than your starting prompt',
      'Better than its starting prompt',
    ]);
    expect(describeVerdict(sampleArtifact({ outcome: 'unverified' })).kind).toBe('unverified');
    // An unverified run without a comparison keeps its own wording (the closest candidate's needs one).
    expect(describeVerdict(sampleArtifact({ outcome: 'unverified' })).sentence).toMatch(/^Not checked against/);
    // Older files and imports carry no verdict: never presented as verified.
    expect(describeVerdict(sampleArtifact()).kind).toBe('unverified');
  });

  it('examples per question: the recorded choice, else the settings, else 3; never more than the pool', () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ query: `q${i}`, answer: `a${i}` }));
    expect(inferenceExamples(sampleArtifact({ icl: five, settings: {} }))).toBe(3);
    expect(inferenceExamples(sampleArtifact({ icl: five, settings: { iclKInference: 0 } }))).toBe(0);
    expect(inferenceExamples(sampleArtifact({ icl: five, settings: { iclKInference: 5 } }))).toBe(5);
    expect(inferenceExamples(sampleArtifact({ icl: five, settings: { iclKInference: 5 }, examplesPerQuery: 1 }))).toBe(
      1,
    );
    expect(inferenceExamples(sampleArtifact({ icl: five.slice(0, 2), examplesPerQuery: 3 }))).toBe(2);
    expect(inferenceExamples(sampleArtifact({ icl: [], examplesPerQuery: 3 }))).toBe(0);
  });

  it('travel in share links', async () => {
    const { fragment } = await encodeAlignmentLink(sampleArtifact(verdict));
    const back = await decodeAlignmentLink(fragment);
    expect(back.ok && back.artifact).toMatchObject({
      outcome: 'improved',
      initialPrompt: verdict.initialPrompt,
      examplesPerQuery: 0,
      scores: verdict.scores,
    });
  });
});

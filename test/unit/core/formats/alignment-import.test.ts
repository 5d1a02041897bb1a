import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateArtifact } from '../../../../src/core/formats/alignment-file';
import { ErrorName } from '../../../../src/core/contracts/errors';
import {
  ANY_MODEL,
  importDrpoPublished,
  importIclExamples,
  isDrpoPublished,
  otherFileWords,
  readAlignmentText,
} from '../../../../src/core/formats/alignment-import';
import { isEvalCsv, toCsv } from '../../../../src/core/eval/report/report-csv';
import type { EvalReport } from '../../../../src/core/eval/eval-types';
import { trainScore } from '../../../../src/core/words/verdict-text';
import { thrown } from '../../../support/errors';
import { alignmentContent } from '../../../../src/store/content-hash';

const fixed = () => new Date('2026-01-02T03:04:05.000Z');
const level = (prompt: string, scores: (string | number)[]) => ({
  Prompt: prompt,
  'Evaluation of the prompt': Object.fromEntries(scores.map((s, i) => [`Aspect${i}`, { rationale: 'r', score: s }])),
});

describe('importDrpoPublished', () => {
  it('takes the last level by numeric order and builds the lineage', () => {
    const json = {
      'level 10': level('ten', ['5', '5']),
      'level 2': level('two', ['3', '4']),
      'level 1': level('one', ['2']),
    };
    expect(isDrpoPublished(json)).toBe(true);
    const a = importDrpoPublished(json, 'llama3-8b.json', fixed);
    expect(a.systemPrompt).toBe('ten');
    expect(a.model).toEqual({ id: 'llama3-8b', engine: 'external' });
    expect(a.lineage).toEqual([
      { depth: 0, prompt: 'one', reward: 2 },
      { depth: 1, prompt: 'two', reward: 3.5 },
      { depth: 9, prompt: 'ten', reward: 5 },
    ]);
    expect(a.scores.train).toBeCloseTo((2 + 3.5 + 5) / 3);
    expect(trainScore(a)).toBeCloseTo((2 + 3.5 + 5) / 3);
    expect(a.createdAt).toBe('2026-01-02T03:04:05.000Z');
    // Recorded: a share link keeps only the last steps of the path, so the first is no place to read it from.
    expect(a.initialPrompt).toBe('one');
    expect(validateArtifact(a).ok).toBe(true);
  });

  it("records DRPO's starting prompt when level 1 is missing or empty, and when it is not scored", () => {
    expect(importDrpoPublished({ 'level 2': level('two', ['4']) }).initialPrompt).toBe('You are a helpful assistant.');
    expect(importDrpoPublished({ 'level 1': level(' ', ['4']), 'level 2': level('two', ['4']) }).initialPrompt).toBe(
      'You are a helpful assistant.',
    );
    expect(importDrpoPublished({ 'level 1': level('one', ['x']), 'level 2': level('two', ['4']) }).initialPrompt).toBe(
      'one',
    );
  });

  it('is the same alignment as the file converted before the starting prompt was recorded', () => {
    const json = { 'level 1': level('one', ['2']), 'level 2': level('two', ['4']) };
    const now = importDrpoPublished(json, 'm.json', fixed);
    const before = { ...now, createdAt: '2025-01-01T00:00:00.000Z' };
    delete before.initialPrompt;
    expect(alignmentContent(before)).toBe(alignmentContent(now));
    expect(alignmentContent({ ...before, initialPrompt: 'other' })).not.toBe(alignmentContent(now));
  });

  it('leaves unscored levels out of the lineage instead of scoring them 0', () => {
    const a = importDrpoPublished({ 'level 1': level('one', ['x']), 'level 2': level('two', ['4']) });
    expect(a.lineage).toEqual([{ depth: 1, prompt: 'two', reward: 4 }]);
    expect(a.model.id).toBe('unknown-model');
  });

  it('marks a file with no score at all, and an examples file, as not scored (0 in the file, never shown as 0.00)', () => {
    const none = importDrpoPublished({ 'level 1': level('one', ['x']) });
    expect(none.scores.train).toBe(0);
    expect(trainScore(none)).toBeUndefined();
    expect(trainScore(importIclExamples({ q: 'a' }))).toBeUndefined();
  });

  it('refuses files that are not in the format, with a clear message', () => {
    for (const bad of [null, [], { foo: 1 }, { 'level 1': { Prompt: 5 } }]) {
      const err = thrown(() => importDrpoPublished(bad, 'x.json'));
      expect(err.name).toBe(ErrorName.InvalidInput);
      expect(err.message).toMatch(/"x.json"/);
    }
    const huge = thrown(() => importDrpoPublished({ 'level 1': level('x'.repeat(30_000), ['5']) }));
    expect(huge.message).toMatch(/systemPrompt/);
  });
});

describe('importIclExamples and readAlignmentText', () => {
  it('reads list and object example files, stripping <START>/<END>', () => {
    const a = importIclExamples([{ query: 'q', answer: '<START>\nhello\n<END>' }], 'icl.json', fixed);
    expect(a.icl).toEqual([{ query: 'q', answer: 'hello' }]);
    // Written once for every model: the file's name is not taken for one.
    expect(a.model).toEqual({ id: ANY_MODEL, engine: 'external' });
    expect(importIclExamples({ q2: 'a2' }).icl).toEqual([{ query: 'q2', answer: 'a2' }]);
    expect(thrown(() => importIclExamples([{ q: 1 }])).name).toBe(ErrorName.InvalidInput);
  });

  it('routes any alignment-like file and never throws', () => {
    const published = JSON.stringify({ 'level 1': level('p', ['5']) });
    expect(readAlignmentText(published, 'gpt.json').ok).toBe(true);
    expect(readAlignmentText(JSON.stringify([{ query: 'q', answer: 'a' }])).ok).toBe(true);
    const r = readAlignmentText('not json');
    expect(!r.ok && r.errors[0]).toMatch(/not JSON/);
    const r2 = readAlignmentText(JSON.stringify({ 'level 1': { Prompt: 1 } }), 'bad.json');
    expect(!r2.ok && r2.errors[0]).toMatch(/level 1/);
    expect(readAlignmentText('{"format":"drpo-alignment","version":3}').ok).toBe(false);
  });
});

describe('files that are not alignments: what they are, in words (otherFileWords)', () => {
  const report: EvalReport = {
    format: 'drpo-eval',
    version: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    complete: true,
    seed: 0,
    policy: { id: 'm', engine: 'openai' },
    judge: { id: 'm', engine: 'openai' },
    settings: { maxTokens: 1024, resamples: 1000, alpha: 0.05 },
    queries: { total: 1, regular: 1, unsafe: 0 },
    candidates: [
      {
        label: 'Baseline',
        systemPrompt: 'You are a helpful assistant.',
        iclCount: 0,
        aspects: [],
        overall: { mean: 4, n: 1, ci: null },
        counts: { queries: 1, regular: 1, unsafe: 0, scored: 1, parseFailures: 0 },
        rows: [
          { queryId: 'q1', category: 'general', kind: 'regular', query: 'Hi?', answer: 'Hello.', scores: [], mean: 4 },
        ],
      },
    ] as unknown as EvalReport['candidates'],
    pairwise: [],
  };
  const refused = (text: string, fileName?: string) => {
    const r = readAlignmentText(text, fileName);
    if (r.ok) throw new Error('read as an alignment');
    return r;
  };

  it('an evaluation report (JSON or CSV) says it holds scores and where an alignment file comes from', () => {
    const json = refused(JSON.stringify(report, null, 2), 'drpo-eval.json');
    expect(json).toEqual({ ok: false, otherFile: true, errors: [otherFileWords('', report)] });
    expect(json.errors[0]).toBe(
      'it is an evaluation report (Export JSON in Evaluate, or drpo eval --out): it holds scores, not an alignment. Use an alignment file instead: Download JSON on a result, or the file drpo optimize writes (--out)',
    );
    expect(json.errors[0]).not.toMatch(/format: must be/);
    // The CSV starts with a BOM (Excel reads it as UTF-8 then), and is still told for what it is.
    expect(toCsv(report).startsWith('\uFEFFcandidate,query_id,')).toBe(true);
    expect(isEvalCsv(toCsv(report))).toBe(true);
    const csv = refused(toCsv(report), 'drpo-eval.csv');
    expect(csv.otherFile).toBe(true);
    expect(csv.errors[0]).toMatch(
      /^it is an evaluation report in CSV \(Export CSV in Evaluate, or drpo eval --csv\): it holds scores, not an alignment\. Use an alignment file instead/,
    );
  });

  it('a run export, a checkpoint and a query file are each named, with where they belong', () => {
    const runExport = { format: 'drpo-run-export', version: 1, run: {}, nodes: [], events: [] };
    expect(refused(JSON.stringify(runExport)).errors[0]).toMatch(
      /^it is a run export \(Export in History\): it holds a whole run, not an alignment\. Import it in History/,
    );
    const checkpoint = { format: 'drpo-checkpoint', version: 1, calls: {}, nodes: [] };
    expect(refused(JSON.stringify(checkpoint)).errors[0]).toMatch(
      /^it is a run checkpoint, .* Give it to drpo optimize --resume/,
    );
    const queries =
      /^it is a list of questions \(a query file\), not an alignment\. Use it as training or evaluation questions: on the Data page, or with drpo optimize --train or drpo eval --queries$/;
    for (const text of [
      JSON.stringify(['What is rain?', 'Why is the sky blue?']),
      JSON.stringify([{ instruction: 'What is rain?', category: 'science' }, { query: 'Hi?' }]),
      '{"query": "What is rain?"}\n{"query": "How to pick a lock?", "category": "harmful"}\n',
      '"What is rain?"\n"Why?"\n',
    ]) {
      const r = refused(text, 'questions.json');
      expect(r).toMatchObject({ otherFile: true });
      expect(r.errors[0]).toMatch(queries);
    }
  });

  it('examples in JSON Lines are called examples, with the JSON array the importer reads', () => {
    const lines = ['{"query": "What is rain?", "answer": "Water falling."}', '{"query": "Hi?", "answer": "Hello."}'];
    const r = refused(lines.join('\n') + '\n', 'examples.jsonl');
    expect(r).toMatchObject({ otherFile: true });
    expect(r.errors[0]).toMatch(/^it is examples in JSON Lines \(one \{"query", "answer"\} per line\)/);
    expect(r.errors[0]).toContain('[{"query": "…", "answer": "…"}, …]');
    expect(r.errors[0]).not.toMatch(/questions/);
    // Doing what it says imports them.
    expect(readAlignmentText(`[${lines.join(',\n')}]`, 'examples.json').ok).toBe(true);
  });

  it('anything else is refused as before; example files and official prompt files still import', () => {
    const unknown = refused(JSON.stringify({ format: 'something-else', version: 1 }));
    expect(unknown.otherFile).toBeUndefined();
    expect(unknown.errors).toEqual([
      'it is not a DRPO Studio alignment file: its "format" is "something-else", where an alignment file has "format": "drpo-alignment"',
    ]);
    expect(refused(JSON.stringify({ format: 'x'.repeat(500) })).errors[0]).toMatch(/its "format" is something else,/);
    expect(refused(JSON.stringify({ hello: 'world', count: 3 })).errors[0]).toMatch(/^it is neither a DRPO Studio/);
    expect(refused('not json').errors[0]).toMatch(/^it is not JSON/);
    expect(refused('[1, 2]').errors[0]).toMatch(/^it is neither/);
    expect(readAlignmentText(JSON.stringify([{ query: 'Hi?', answer: 'Hello.' }])).ok).toBe(true);
    expect(readAlignmentText(JSON.stringify({ 'Hi?': 'Hello.' })).ok).toBe(true);
    expect(readAlignmentText(JSON.stringify({ 'level 1': level('p', ['5']) })).ok).toBe(true);
  });
});

const DRPO = path.resolve(process.cwd(), '../shared/data/drpo');
const PUBLISHED = path.join(DRPO, 'published-prompts');
const ICL = path.join(DRPO, 'icl-examples.json');

describe('shared DRPO files', () => {
  it.skipIf(!existsSync(PUBLISHED))('imports every published prompt file', () => {
    const files = readdirSync(PUBLISHED).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = readAlignmentText(readFileSync(path.join(PUBLISHED, f), 'utf8'), f);
      expect(r.ok, f).toBe(true);
      if (r.ok) {
        expect(r.artifact.model.id).toBe(f.replace(/\.json$/, ''));
        expect(r.artifact.systemPrompt.length).toBeGreaterThan(50);
        expect(r.artifact.lineage.length).toBeGreaterThan(10);
      }
    }
  });

  it.skipIf(!existsSync(DRPO))(
    'reads every file of the release as what it is: prompts and examples, nothing else',
    () => {
      const all = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? all(path.join(dir, e.name)) : [path.join(dir, e.name)],
        );
      const files = all(DRPO);
      expect(files.length).toBeGreaterThan(1);
      for (const f of files) {
        const name = path.basename(f);
        const r = readAlignmentText(readFileSync(f, 'utf8'), name);
        const alignment = path.dirname(f) === PUBLISHED || f === ICL;
        expect(r.ok, path.relative(DRPO, f)).toBe(alignment);
        if (!r.ok) expect(r.errors.join(' '), name).toMatch(/not|neither/);
        // A published prompt starts from DRPO's own starting prompt.
        if (r.ok && path.dirname(f) === PUBLISHED)
          expect(r.artifact.initialPrompt).toBe('You are a helpful assistant.');
      }
    },
  );

  it("refuses a map of names to files (the release's model_mapping.json), saying its values are no answers", () => {
    const mapping = JSON.stringify({
      'gpt-3.5-turbo': './data/gpt-3.5-turbo/output.pkl',
      'meta-llama/Llama-2-7b-hf': './data/llama 2-7b/output.pkl',
    });
    const r = readAlignmentText(mapping, 'model_mapping.json');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      'it is neither a DRPO Studio alignment file (no "format": "drpo-alignment") nor a published DRPO prompt or examples file: its values are file paths or links, not answers to questions',
    ]);
    expect(readAlignmentText(JSON.stringify({ a: 'https://example.org/a' }), 'links.json').ok).toBe(false);
    // Short questions and answers are still examples, and so is an answer that names a file in a sentence.
    expect(readAlignmentText(JSON.stringify({ q2: 'a2', 'Where?': 'In notes.txt, line 3.' })).ok).toBe(true);
  });

  it.skipIf(!existsSync(ICL))('imports the published ICL examples', () => {
    const r = readAlignmentText(readFileSync(ICL, 'utf8'), 'icl-examples.json');
    expect(r.ok && r.artifact.icl).toHaveLength(16);
    expect(r.ok && r.artifact.icl.every((e) => !e.answer.includes('<START>'))).toBe(true);
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateArtifact } from '../../../../src/core/formats/alignment-file';
import { ErrorName } from '../../../../src/core/contracts/errors';
import {
  importDrpoPublished,
  importIclExamples,
  isDrpoPublished,
  readAlignmentText,
} from '../../../../src/core/formats/alignment-import';
import { trainScore } from '../../../../src/core/formats/verdict-text';
import { thrown } from '../../../support/errors';

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
    expect(validateArtifact(a).ok).toBe(true);
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

  it.skipIf(!existsSync(ICL))('imports the published ICL examples', () => {
    const r = readAlignmentText(readFileSync(ICL, 'utf8'), 'icl-examples.json');
    expect(r.ok && r.artifact.icl).toHaveLength(16);
    expect(r.ok && r.artifact.icl.every((e) => !e.answer.includes('<START>'))).toBe(true);
  });
});

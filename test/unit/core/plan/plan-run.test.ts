/** The one run planner (page and CLI): split with the run's seed, file order kept, one example pool. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SEEDS } from '../../../../src/core/data/builtin-seeds';
import { BUILTIN_TRAIN } from '../../../../src/core/data/builtin-train';
import { splitQueries } from '../../../../src/core/data/split';
import { planRun, runNameProblem, splitForRun, startingPromptProblem } from '../../../../src/core/plan/plan-run';
import { DEFAULT_RUN_SEED, PRESETS } from '../../../../src/core/plan/presets';

const queries = BUILTIN_TRAIN;

describe('planRun', () => {
  it('holds out the preset’s count with the run’s seed and keeps the rest in file order (the engine orders once)', () => {
    const c = planRun({ preset: 'quick', queries });
    const n = PRESETS.quick.settings.validationSize;
    expect(c.seed).toBe(DEFAULT_RUN_SEED);
    expect(c.validationQueries).toHaveLength(n);
    expect({ train: c.trainQueries, validation: c.validationQueries }).toEqual(
      splitQueries(queries, n, DEFAULT_RUN_SEED),
    );
    const order = new Map(queries.map((q, i) => [q.id, i]));
    const idx = c.trainQueries.map((q) => order.get(q.id)!);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });

  it('splits with the seed it is given, and the count the settings give', () => {
    const a = planRun({ preset: 'quick', queries, seed: 7, settings: { validationSize: 5 } });
    expect({ train: a.trainQueries, validation: a.validationQueries }).toEqual(splitForRun(queries, 5, 7));
    expect(a.settings.validationSize).toBe(5);
    const b = planRun({ preset: 'quick', queries, seed: 8, settings: { validationSize: 5 } });
    expect(b.validationQueries).not.toEqual(a.validationQueries);
  });

  it('never holds out more than half of a file, so a small file still leaves the search its questions', () => {
    const small = queries.slice(0, 20);
    // paper holds out 32 of a larger file; of 20 questions it holds out 10 and trains on 10.
    expect(PRESETS.paper.settings.validationSize).toBeGreaterThan(10);
    const c = planRun({ preset: 'paper', queries: small, seed: 3 });
    expect(c.validationQueries).toHaveLength(10);
    expect(c.trainQueries).toHaveLength(10);
    expect(splitForRun(queries.slice(0, 5), 12).validation).toHaveLength(2);
    expect(splitForRun(queries, 32).validation).toHaveLength(32);
  });

  it('takes explicit held-out queries out of the training queries instead of splitting', () => {
    const validation = queries.slice(0, 3);
    const c = planRun({ preset: 'paper', queries, validation });
    expect(c.validationQueries).toEqual(validation);
    expect(c.trainQueries).toEqual(queries.slice(3));
    // The cause is named: every training query is held out (the same file given twice, say), not just "none left".
    expect(() => planRun({ preset: 'quick', queries: validation, validation })).toThrow(
      'Every training query is also among the held-out questions, which are never trained on: none is left for the search.',
    );
  });

  it('names what keeps a run name from being one line of plain text (one rule for the Run view and --name)', () => {
    expect(runNameProblem('Kind and brief')).toBeNull();
    expect(runNameProblem('Tabs\there')).toBe('The run name contains a tab: use spaces instead.');
    expect(runNameProblem('one\ntwo')).toBe('The run name contains a line break: keep it to one line.');
    expect(runNameProblem('one\r\ntwo')).toBe('The run name contains a line break: keep it to one line.');
    expect(runNameProblem('bell\u0007')).toBe(
      'The run name contains control characters (such as NUL): type it as plain text.',
    );
    expect(() => planRun({ preset: 'quick', queries, name: 'a\tb' })).toThrow('contains a tab');
  });

  it('uses the built-in seed answers as the example pool and normalises the starting prompt', () => {
    const c = planRun({ preset: 'quick', queries, initialPrompt: '  Be brief.\r\n- Be kind.  ' });
    expect(c.icl).toEqual(BUILTIN_SEEDS.map((e) => ({ query: e.query, answer: e.answer })));
    expect(c.initialPrompt).toBe('Be brief.\n- Be kind.');
    expect(() => planRun({ preset: 'quick', queries, initialPrompt: '   ' })).toThrow(/starting prompt is empty/);
    expect(() => planRun({ preset: 'quick', queries, initialPrompt: 'x'.repeat(100_000) })).toThrow(/the limit is/);
  });
});

describe('startingPromptProblem (the Run view and --initial-prompt alike)', () => {
  it('takes text with tabs and line breaks; refuses an empty prompt and control characters such as NUL', () => {
    expect(startingPromptProblem('Be kind.\n\t- Answer first.')).toBeNull();
    expect(startingPromptProblem('')).toMatch(/is empty/);
    expect(startingPromptProblem('\u200B\u200B\uFEFF')).toMatch(/is empty/);
    expect(startingPromptProblem('\u0000\u0000\u0000')).toMatch(/control characters/);
    expect(startingPromptProblem('Be kind.\u0007')).toMatch(/control characters/);
  });
});

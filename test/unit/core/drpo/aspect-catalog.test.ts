import { describe, expect, it } from 'vitest';
import {
  ASPECT_CATALOG,
  GENERIC_ASPECT_DESCRIPTION,
  aspectKey,
  createAspectCatalog,
} from '../../../../src/core/drpo/aspect-catalog';
import { parseAspects } from '../../../../src/core/drpo/prompts/aspect-selection';
import { parseJudgement } from '../../../../src/core/drpo/prompts/judge';

describe('aspect catalog', () => {
  it('has the 14 DRPO aspects', () => {
    expect(ASPECT_CATALOG).toHaveLength(14);
  });
  it('normalises case, spaces, hyphens and underscores', () => {
    const c = createAspectCatalog();
    for (const spelling of ['critical thinking', 'CRITICAL_THINKING', 'Critical-Thinking', ' critical  thinking ']) {
      expect(c.resolve(spelling).name).toBe('Critical-Thinking');
    }
    expect(aspectKey('Critical-Thinking')).toBe(aspectKey('critical_thinking'));
  });
  it('keeps unknown aspects with a generic description', () => {
    const c = createAspectCatalog();
    expect(c.resolve('humor')).toEqual({ name: 'Humor', description: GENERIC_ASPECT_DESCRIPTION });
    expect(c.resolve('**weird**:').name).toBe('Weird');
    expect(c.resolve('').name).toBe('Overall');
  });
  it('adds and overrides with custom aspects', () => {
    const c = createAspectCatalog([
      { name: 'Brevity', description: 'Short answers.' },
      { name: 'clarity', description: 'Our own clarity.' },
    ]);
    expect(c.resolve('brevity').description).toBe('Short answers.');
    expect(c.resolve('Clarity').description).toBe('Our own clarity.');
    expect(c.all().length).toBe(15);
  });
});

describe('parseAspects', () => {
  const c = createAspectCatalog();
  it('accepts objects, strings and maps; dedupes; caps at 5', () => {
    expect(
      parseAspects({ aspects: [{ name: 'clarity', reason: 'r' }, { name: 'Clarity', reason: 'dup' }, 'safety'] }, c),
    ).toEqual([
      { name: 'Clarity', reason: 'r' },
      { name: 'Safety', reason: '' },
    ]);
    expect(parseAspects({ aspects: { Depth: 'why', Empathy: 'x' } }, c)).toHaveLength(2);
    const many = parseAspects({ aspects: ASPECT_CATALOG.map((a) => a.name) }, c);
    expect(many).toHaveLength(5);
  });
  it('fills up to two aspects and rejects empty selections', () => {
    expect(parseAspects({ aspects: ['Humor'] }, c)).toEqual([
      { name: 'Humor', reason: '' },
      { name: 'Helpfulness', reason: 'added: at least two aspects are scored' },
    ]);
    expect(typeof parseAspects({ aspects: [] }, c)).toBe('string');
    expect(typeof parseAspects({}, c)).toBe('string');
  });
});

describe('parseJudgement', () => {
  const aspects = [
    { name: 'Clarity', reason: '' },
    { name: 'Critical-Thinking', reason: '' },
  ];
  it('matches names tolerantly, coerces scores, ignores unknown aspects', () => {
    const r = parseJudgement(
      {
        scores: [
          { aspect: 'clarity', score: '4', rationale: 'ok' },
          { aspect: 'critical thinking', score: 1, rationale: 'bad' },
          { aspect: 'Humor', score: 3 },
        ],
        extra: 1,
      },
      aspects,
    );
    expect(r).toEqual([
      { aspect: 'Clarity', score: 4, rationale: 'ok' },
      { aspect: 'Critical-Thinking', score: 1, rationale: 'bad' },
    ]);
  });
  it('drops an aspect scored off the 1–5 scale (9, "9", "8/10", 0), as Evaluate counts it unreadable', () => {
    const r = parseJudgement(
      {
        scores: [
          { aspect: 'clarity', score: 9, rationale: 'ok' },
          { aspect: 'critical thinking', score: 3, rationale: 'fine' },
        ],
      },
      aspects,
    );
    expect(r).toEqual([{ aspect: 'Critical-Thinking', score: 3, rationale: 'fine' }]);
    for (const v of ['9', '8/10', 0, '0', -3])
      expect(typeof parseJudgement({ scores: [{ aspect: 'Clarity', score: v }] }, aspects), String(v)).toBe('string');
  });
  it('accepts a map form and rejects replies without usable scores', () => {
    expect(parseJudgement({ Clarity: { score: 4, rationale: 'x' } }, aspects)).toEqual([
      { aspect: 'Clarity', score: 4, rationale: 'x' },
    ]);
    expect(typeof parseJudgement({ scores: [{ aspect: 'Clarity', score: 'n/a' }] }, aspects)).toBe('string');
  });
  it('uses logprob expectations when they line up with the items', () => {
    const r = parseJudgement({ scores: [{ aspect: 'Clarity', score: 4, rationale: '' }] }, aspects, [3.6]);
    expect(r).toEqual([{ aspect: 'Clarity', score: 3.6, rationale: '' }]);
  });
});

/** Download names (helpers/download.ts): what History saves an alignment or a run export as. */
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../src/ui/helpers/download';

describe('safeFileName', () => {
  it('drops a trailing extension of the same kind, so a name from a file is not saved as ".json.json"', () => {
    expect(safeFileName('Examples from icl-examples.json', 'json')).toBe('Examples-from-icl-examples.json');
    expect(safeFileName('model.JSON ', 'json')).toBe('model.json');
    expect(safeFileName('notes.csv', 'json')).toBe('notes.csv.json');
    expect(safeFileName('.json', 'json')).toBe('drpo.json');
  });

  it('keeps letters and digits of any script (they were lost: "Café" → "Caf-", Chinese → "drpo")', () => {
    expect(safeFileName('Café', 'json')).toBe('Café.json');
    expect(safeFileName('对齐 模型 ２', 'json')).toBe('对齐-模型-２.json');
    expect(safeFileName('Привет, мир!', 'json')).toBe('Привет-мир.json');
    expect(safeFileName('नमस्ते', 'json')).toBe('नमस्ते.json');
    // Decomposed accents are joined first, so the name is what it looks like.
    expect(safeFileName('Cafe\u0301', 'json')).toBe('Café.json');
  });

  it('still turns separators and symbols into one dash, and never starts with a dot', () => {
    expect(safeFileName('a/b\\c:d*?"<>|e', 'json')).toBe('a-b-c-d-e.json');
    expect(safeFileName('../../etc/passwd', 'json')).toBe('etc-passwd.json');
    expect(safeFileName('  ', 'json')).toBe('drpo.json');
    expect(safeFileName('run 1-run', 'json')).toBe('run-1-run.json');
  });

  it('cuts a long name at 80 characters, never inside one (a letter outside the BMP is two UTF-16 units)', () => {
    const name = safeFileName('字' + '𝒜'.repeat(100), 'json');
    expect(Array.from(name.replace(/\.json$/, ''))).toHaveLength(80);
    expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(safeFileName('x'.repeat(200), 'json')).toBe(`${'x'.repeat(80)}.json`);
  });
});

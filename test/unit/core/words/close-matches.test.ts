import { describe, expect, it } from 'vitest';
import { closeMatches } from '../../../../src/core/words/close-matches';

describe('closeMatches', () => {
  it('caps the list and ignores tiny fragments', () => {
    expect(closeMatches(['a1', 'a2', 'a3', 'a4'], 'a', 2)).toHaveLength(2);
    expect(closeMatches(['completely-different'], 'xyz')).toEqual([]);
  });

  it('finds typos, case and Ollama tags, nearest first', () => {
    expect(closeMatches(['optimize', 'import-drpo', 'eval'], 'import-dpro', 1)).toEqual(['import-drpo']);
    expect(closeMatches(['llama3.2:latest', 'qwen2.5:7b'], 'Llama3.2')).toEqual(['llama3.2:latest']);
    expect(closeMatches(['out', 'outage-grace-ms', 'seed'], 'ot', 1)).toEqual(['out']);
  });
});

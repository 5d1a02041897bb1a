/** The win-rate chart's row names (templates/eval-charts.ts): each pair must be told apart beside its bar. */
import { describe, expect, it } from 'vitest';
import { pairName } from '../../../src/ui/templates/eval-charts';

describe('pairName', () => {
  it('tells apart a round robin of long names that share their start (review finding 4)', () => {
    const [v1, v2, v3] = [1, 2, 3].map((v) => `Careful answers for the support desk (v${v})`);
    const labels = [pairName(v1, v2), pairName(v1, v3), pairName(v2, v3)];
    expect(new Set(labels).size).toBe(3);
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(32);
    expect(labels[0]).toMatch(/^Carefu.*….*\(v1\) vs Carefu.*….*\(v2\)$/);
  });

  it('keeps short names whole, and gives a short side’s room to the other', () => {
    expect(pairName('Careful v1', 'Starting prompt')).toBe('Careful v1 vs Starting prompt');
    const long = 'Careful answers for the support desk (v1)';
    const label = pairName(long, 'Baseline');
    expect(label.length).toBeLessThanOrEqual(32);
    // More of the long name than half the room: 20 characters, less a space trimmed at the cut.
    expect(label).toMatch(/^Careful.*….*\(v1\) vs Baseline$/);
    expect(label.indexOf(' vs ')).toBeGreaterThanOrEqual(19);
  });
});

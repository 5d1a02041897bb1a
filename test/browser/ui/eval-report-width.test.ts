/**
 * The evaluation report at a phone's width and a desktop's: its charts are laid out for the width they are shown
 * at, so every label keeps a readable size (an SVG drawn for 640 units and scaled down to a phone drew them at
 * 5–6 px), stays inside its chart and runs into no other label.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/ui/components/drpo-eval-results';
import type { DrpoEvalResults } from '../../../src/ui/components/drpo-eval-results';
import { evaluateAlignments } from '../../../src/core/eval/evaluate-alignments';
import { runPairwise } from '../../../src/core/eval/run-pairwise';
import { referenceCandidates } from '../../../src/core/eval/report/compare';
import type { EvalReport } from '../../../src/core/eval/eval-types';
import { best, judge, policy, queries } from '../../support/eval-models';
import { $, $$, find, mount, unmountAll } from '../../support/dom';

afterEach(unmountAll);

/** The report card's content width in the Evaluate view at a 400 px window, and at a 1280 px one. */
const PHONE = 342;
const DESKTOP = 1134;

async function report(): Promise<EvalReport> {
  const { report } = await evaluateAlignments({
    candidates: [
      { ...best, label: 'Careful answers for the support desk (v1)' },
      ...referenceCandidates({ baseline: true, noSystem: true }),
    ],
    queries,
    policy: policy().model,
    judge: judge().model,
    seed: 3,
    now: () => 0,
  });
  return runPairwise({ report, judge: judge().model });
}

interface Label {
  text: string;
  /** The font size as drawn on the screen: the style's size times the SVG's scale. */
  px: number;
  box: DOMRect;
  chart: DOMRect;
}

function labels(res: DrpoEvalResults): Label[] {
  return $$<SVGTextElement>(res, 'figure.chart svg text').map((t) => ({
    text: t.textContent!.trim(),
    px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a,
    box: t.getBoundingClientRect(),
    chart: t.ownerSVGElement!.getBoundingClientRect(),
  }));
}

function smallest(res: DrpoEvalResults): number {
  return Math.min(...labels(res).map((l) => l.px));
}

const overlap = (a: DOMRect, b: DOMRect) =>
  a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

async function shown(r: EvalReport, width: number): Promise<DrpoEvalResults> {
  const res = await mount<DrpoEvalResults>('drpo-eval-results', { report: r });
  res.style.cssText = `display:block;width:${width}px`;
  return res;
}

/** Every label at least 11 px, inside its chart, and clear of every other label. */
async function expectReadable(res: DrpoEvalResults): Promise<void> {
  // The charts are laid out again once the element has measured its width.
  await expect.poll(() => smallest(res)).toBeGreaterThanOrEqual(11);
  const all = labels(res);
  for (const l of all) {
    expect(l.box.left, `“${l.text}” starts inside its chart`).toBeGreaterThanOrEqual(l.chart.left - 0.5);
    expect(l.box.right, `“${l.text}” ends inside its chart`).toBeLessThanOrEqual(l.chart.right + 0.5);
  }
  for (const [i, a] of all.entries())
    for (const b of all.slice(i + 1)) expect(overlap(a.box, b.box), `“${a.text}” runs into “${b.text}”`).toBe(false);
}

describe('the evaluation report at a narrow width', () => {
  it('draws the per-aspect chart and the win-rate chart with labels of at least 11 px at a 400 px window', async () => {
    const r = await report();
    expect(r.pairwise.length).toBeGreaterThan(0);
    const res = await shown(r, PHONE);
    expect($$(res, 'figure.chart')).toHaveLength(2);
    await expectReadable(res);
    // Each pair is still named (above its bar: beside it there is no room).
    const names = labels(res).map((l) => l.text);
    expect(names.filter((n) => / vs /.test(n))).toHaveLength(r.pairwise.length);
    expect(names).toContain('Helpfulness');
  });

  it('names each of many candidates readably (the overall chart) at a 400 px window', async () => {
    const r = await report();
    const many: EvalReport = {
      ...r,
      candidates: Array.from({ length: 8 }, (_, i) => ({ ...r.candidates[i % 3]!, label: `Candidate ${i + 1}` })),
      pairwise: [],
    };
    const res = await shown(many, PHONE);
    await expectReadable(res);
    expect(labels(res).map((l) => l.text)).toContain('Candidate 8');
  });

  it('keeps the labels at their size on a wide screen rather than blowing them up', async () => {
    const res = await shown(await report(), DESKTOP);
    // Drawn at the styles' 11 px: scaled to the width, they grew to 20 px.
    await expect.poll(() => Math.max(...labels(res).map((l) => l.px))).toBeLessThan(12);
    await expectReadable(res);
  });
});

describe('the evaluation report’s tables at a narrow width', () => {
  it('keep every column reachable at a 400 px window: they scroll sideways, say so, and keep the names in view', async () => {
    const res = await shown(await report(), PHONE);
    for (const table of [$(res, 'table.scores'), $(res, 'table.pairwise')]) {
      // A real table still: the region scrolls by keyboard, the headers name their columns and rows.
      const wrap = table.parentElement!;
      expect(wrap.tabIndex).toBe(0);
      expect(getComputedStyle(table).display).toBe('table');
      const last = [...table.querySelectorAll<HTMLElement>('thead th[scope="col"]')].at(-1)!;
      expect(last.textContent!.trim()).toBe('Parse failures');
      const names = [...table.querySelectorAll<HTMLElement>('tbody th[scope="row"]')];
      expect(names.length).toBeGreaterThan(0);

      wrap.scrollLeft = wrap.scrollWidth;
      await expect.poll(() => wrap.scrollLeft).toBeGreaterThan(0);
      expect(wrap.scrollLeft).toBe(wrap.scrollWidth - wrap.clientWidth);
      const box = wrap.getBoundingClientRect();
      const lastBox = last.getBoundingClientRect();
      // Scrolled to its end, the last column is in view, right of the names (which stay at the left edge).
      expect(lastBox.right).toBeLessThanOrEqual(box.right + 1);
      for (const name of names) {
        const nameBox = name.getBoundingClientRect();
        expect(Math.abs(nameBox.left - box.left), `“${name.textContent}” stays in view`).toBeLessThanOrEqual(1);
        expect(lastBox.left).toBeGreaterThanOrEqual(nameBox.right - 1);
      }
      // Said above the table, in words, once the table is found wider than the report.
      await expect.poll(() => wrap.previousElementSibling?.textContent ?? '').toMatch(/scroll the table sideways/i);
    }
  });

  it('say nothing of scrolling where the tables fit', async () => {
    const res = await shown(await report(), DESKTOP);
    // Laid out at its width (the charts' labels at their size), the tables fit: no hint.
    await expect.poll(() => Math.max(...labels(res).map((l) => l.px))).toBeLessThan(12);
    for (const wrap of $$(res, '.table-wrap')) expect(wrap.scrollWidth).toBeLessThanOrEqual(wrap.clientWidth);
    expect(find(res, '[data-scroll-hint]')).toBeNull();
  });
});

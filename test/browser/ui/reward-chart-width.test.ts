/**
 * The Live view's reward chart at a phone's width and a desktop's: it is laid out for the width it is shown at, so
 * every label keeps a readable size (drawn for 600 units and scaled down to a phone, they were 6 px), stays inside
 * the chart and runs into no other label, and the chart keeps its accessible name, description and numbers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../src/ui/components/run/drpo-reward-chart';
import type { DrpoRewardChart } from '../../../src/ui/components/run/drpo-reward-chart';
import type { RewardPoint } from '../../../src/ui/view-models/run/run-view-model';
import { $, $$, mount, unmountAll } from '../../support/dom';

afterEach(unmountAll);

/** The chart's width in the Live view's "Reward over depth" card at a 400 px window, and at a 1280 px one. */
const PHONE = 342;
const DESKTOP = 582;

/** `levels` levels of a run, the best score climbing, each with its beam's mean. */
function series(levels: number): RewardPoint[] {
  return Array.from({ length: levels }, (_, depth) => ({
    depth,
    best: 2 + (3 * depth) / Math.max(1, levels - 1),
    beamMean: 1.5 + (3 * depth) / Math.max(1, levels - 1),
  }));
}

interface Label {
  text: string;
  /** The font size as drawn on the screen: the style's size times the SVG's scale (rotation aside). */
  px: number;
  box: DOMRect;
  chart: DOMRect;
}

function labels(el: DrpoRewardChart): Label[] {
  return $$<SVGTextElement>(el, 'svg text').map((t) => {
    const m = t.getScreenCTM()!;
    return {
      text: t.textContent!.trim(),
      px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
      box: t.getBoundingClientRect(),
      chart: t.ownerSVGElement!.getBoundingClientRect(),
    };
  });
}

const smallest = (el: DrpoRewardChart) => Math.min(...labels(el).map((l) => l.px));

const overlap = (a: DOMRect, b: DOMRect) =>
  a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

async function shown(points: RewardPoint[], maxDepth: number, width: number): Promise<DrpoRewardChart> {
  const el = await mount<DrpoRewardChart>('drpo-reward-chart', { series: points, maxDepth });
  // The app's theme sets the font (the labels' style names it with their size: without it they fall back to 16 px).
  el.style.cssText = `display:block;width:${width}px;--drpo-font:sans-serif`;
  return el;
}

/** Every label at least 11 px, inside the chart, and clear of every other label. */
async function expectReadable(el: DrpoRewardChart): Promise<void> {
  // The chart is laid out again once the element has measured its width.
  await expect.poll(() => smallest(el)).toBeGreaterThanOrEqual(11);
  const all = labels(el);
  for (const l of all) {
    expect(l.box.left, `“${l.text}” starts inside the chart`).toBeGreaterThanOrEqual(l.chart.left - 0.5);
    expect(l.box.right, `“${l.text}” ends inside the chart`).toBeLessThanOrEqual(l.chart.right + 0.5);
    expect(l.box.top, `“${l.text}” starts inside the chart`).toBeGreaterThanOrEqual(l.chart.top - 0.5);
    expect(l.box.bottom, `“${l.text}” ends inside the chart`).toBeLessThanOrEqual(l.chart.bottom + 0.5);
  }
  for (const [i, a] of all.entries())
    for (const b of all.slice(i + 1)) expect(overlap(a.box, b.box), `“${a.text}” runs into “${b.text}”`).toBe(false);
}

/** The chart's text alternative: its name, its description and the table of numbers. */
function expectAccessible(el: DrpoRewardChart, rows: number): void {
  const svg = $(el, 'svg');
  expect(svg.getAttribute('role')).toBe('img');
  expect(svg.getAttribute('aria-labelledby')).toBe('t d');
  expect($(el, 'title').textContent).toBe('Reward over depth');
  expect($(el, 'desc').textContent).toMatch(/^Best score per level went from 2\.00 at depth 0/);
  expect($$(el, 'tbody tr')).toHaveLength(rows);
}

describe('the reward chart at a narrow width', () => {
  it('draws its labels at 11 px or more at a 400 px window', async () => {
    const el = await shown(series(4), 3, PHONE);
    await expectReadable(el);
    const texts = labels(el).map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(['1', '5', '0', '3', 'Depth (search level)', 'Score (1–5)']));
    expectAccessible(el, 4);
  });

  it('keeps the depths of a long run apart at a 400 px window', async () => {
    const el = await shown(series(21), 20, PHONE);
    await expectReadable(el);
    expect(labels(el).map((l) => l.text)).toContain('0');
    expectAccessible(el, 21);
  });

  it('keeps the labels at their size on a wide screen', async () => {
    const el = await shown(series(4), 3, DESKTOP);
    // Drawn at the styles' 11 px: scaled to the width, they were 10.7 px here (and grew on a wider card).
    await expect.poll(() => Math.max(...labels(el).map((l) => l.px))).toBeLessThan(12);
    await expectReadable(el);
    expectAccessible(el, 4);
  });
});

/**
 * What Vitest's browser mode cannot emulate: forced colours (Windows High Contrast) and the window's size.
 * Forced colours drop backgrounds and shadows and override border colours, so every selected, current or
 * pressed state (the current step, the selected prompt and tree node, the suggested model, the chosen preset
 * and export format, a file held over the drop zone), the main action's button and a danger button (Delete)
 * must keep a line of its own, a focus line drawn by the page a system colour, and a progress bar's fill a
 * colour of its own; a short or narrow window gets a static header (a sticky one would take much of it), and
 * the page's scroll padding follows the header only while it is sticky.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { connectScriptedEndpoint } from './helpers';
import { nav, startTinyRun, useScriptedServer } from './flow-steps';
import { encodeAlignmentLink } from '../../src/core/formats/link-codec';
import { sampleArtifact } from '../support/artifacts';

const scripted = useScriptedServer();

/** The line around an element: its outline plus its border (top side), in px, as computed. */
function frameOf(el: Locator): Promise<number> {
  return el.evaluate((e) => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth) || 0;
    const border = s.borderTopStyle === 'none' ? 0 : parseFloat(s.borderTopWidth) || 0;
    return outline + border;
  });
}

/** At least 2 px more line than the other state: a 1 px difference is too fine to tell apart. */
async function expectFramed(selected: Locator, other: Locator, what: string): Promise<void> {
  const [on, off] = [await frameOf(selected), await frameOf(other)];
  expect(on - off, `${what}: ${on}px framed vs ${off}px`).toBeGreaterThanOrEqual(2);
}

/** A system colour (Highlight, CanvasText, …) as the page resolves it now, for comparing computed colours. */
function systemColor(page: Page, name: string): Promise<string> {
  return page.evaluate((name) => {
    const probe = document.createElement('span');
    probe.style.color = name;
    probe.style.forcedColorAdjust = 'none';
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  }, name);
}

/** The header's position, its height and the page's scroll-padding-top, read together. */
function headerLayout(page: Page): Promise<{ position: string; height: number; padding: string }> {
  return page.evaluate(() => {
    const header = document.querySelector('drpo-app')!.shadowRoot!.querySelector('header')!;
    return {
      position: getComputedStyle(header).position,
      height: header.offsetHeight,
      padding: getComputedStyle(document.documentElement).scrollPaddingTop,
    };
  });
}

test('the header is sticky with matching scroll padding in a tall window, static and unpadded in a short or narrow one', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('./#/setup');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const sticky = async () => {
    const { position, height, padding } = await headerLayout(page);
    return { position, padded: padding === `${height + 8}px` };
  };
  await expect.poll(sticky).toEqual({ position: 'sticky', padded: true });

  // Only the height changes first: the header keeps its size, the window's resize fits the padding.
  for (const size of [
    { width: 1280, height: 400 },
    { width: 375, height: 800 },
  ]) {
    await page.setViewportSize(size);
    await expect
      .poll(
        async () => {
          const { position, padding } = await headerLayout(page);
          return { position, padding };
        },
        { message: `${size.width}×${size.height}` },
      )
      .toEqual({ position: 'static', padding: 'auto' });
  }
  // Tall again: sticky, and padded again.
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect.poll(sticky).toEqual({ position: 'sticky', padded: true });
});

test('forced colours keep a frame on the current step, the selected prompt and node, a system-coloured focus line in the tree, a fill on the budget bar, and dashes on Delete', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.emulateMedia({ forcedColors: 'active' });
  await startTinyRun(page, scripted.server, {
    depth: 1,
    // A limit far above what the run uses: the budget bar shows without stopping anything.
    beforeStart: async () => {
      await page.getByLabel('Max model calls').fill('10000');
      await page.getByLabel('Max model calls').press('Tab');
    },
  });

  const steps = page.getByRole('navigation', { name: 'Steps' });
  await expectFramed(
    steps.locator('a[aria-current="page"]'),
    steps.getByRole('link', { name: 'Setup', exact: true }),
    'current step',
  );

  const list = page.getByRole('listbox', { name: 'Evaluated prompts' });
  await expect.poll(() => list.getByRole('option').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  // The frame is the forced-colours one, not the keyboard focus ring of the list (Start put focus on the heading).
  await expect(list).not.toBeFocused();
  await expectFramed(
    list.locator('[role="option"][aria-selected="true"]'),
    list.locator('[role="option"][aria-selected="false"]').first(),
    'selected prompt',
  );

  // The tree's nodes are SVG: the selected one's stroke is thicker than any other's (the beam's included).
  const tree = page.locator('drpo-beam-tree');
  const strokes = await tree.locator('g.node rect').evaluateAll((rects) =>
    rects.map((r) => ({
      selected: r.parentElement!.getAttribute('aria-pressed') === 'true',
      width: parseFloat(getComputedStyle(r).strokeWidth),
    })),
  );
  const selected = strokes.filter((s) => s.selected).map((s) => s.width);
  const others = strokes.filter((s) => !s.selected).map((s) => s.width);
  expect(selected).toHaveLength(1);
  expect(others.length).toBeGreaterThan(0);
  expect(selected[0]! - Math.max(...others), 'selected node vs the thickest other').toBeGreaterThanOrEqual(2);

  // The keyboard's focus line on a node that is not the selected one takes the system's highlight colour,
  // not the page's (Home goes to the first node, then on to its child if that one is the selected node).
  const highlight = await systemColor(page, 'Highlight');
  await tree.locator('g.node[tabindex="0"]').focus();
  await page.keyboard.press('Home');
  if ((await tree.locator('g.node:focus').getAttribute('aria-pressed')) === 'true')
    await page.keyboard.press('ArrowRight');
  const focused = tree.locator('g.node:focus-visible');
  await expect(focused).toHaveAttribute('aria-pressed', 'false');
  expect(await focused.locator('rect').evaluate((r) => getComputedStyle(r).stroke), 'focus line').toBe(highlight);

  // The budget bar's fill keeps a colour of its own against its track.
  const bar = page.getByRole('progressbar', { name: 'Model calls budget used' });
  const [fill, track] = await bar.evaluate((t) => [
    getComputedStyle(t.querySelector('.fill')!).backgroundColor,
    getComputedStyle(t).backgroundColor,
  ]);
  expect(fill).not.toBe(track);
  // Near its limit too, where the page's own warning colour would otherwise win.
  const high = await bar.evaluate((t) => {
    t.querySelector('.fill')!.classList.add('high');
    return getComputedStyle(t.querySelector('.fill')!).backgroundColor;
  });
  expect(high, 'a bar near its limit').toBe(highlight);
  // So does each aspect score's meter in the selected prompt's panel.
  const meter = page.locator('drpo-candidate-panel .track').first();
  await expect(meter).toBeVisible();
  const [meterFill, meterTrack] = await meter.evaluate((t) => [
    getComputedStyle(t.querySelector('.fill')!).backgroundColor,
    getComputedStyle(t).backgroundColor,
  ]);
  expect(meterFill).not.toBe(meterTrack);

  // A button that removes something (Delete) has lost its red: a dashed frame tells it from the one beside it.
  await nav(page, 'History');
  const row = page.locator('tr[data-run]').first();
  const border = (b: Locator) =>
    b.evaluate((e) => ({ style: getComputedStyle(e).borderTopStyle, width: getComputedStyle(e).borderTopWidth }));
  expect(await border(row.locator('button[data-delete]')), 'Delete').toEqual({ style: 'dashed', width: '2px' });
  expect(await border(row.locator('button[data-rename]')), 'Rename').toMatchObject({ style: 'solid' });
});

test('forced colours keep a frame on the suggested model and the main action, a file over the drop zone, the chosen preset and format', async ({
  page,
}) => {
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto('./#/setup');
  const suggested = page.locator('drpo-model-card[selected] article');
  await expect(suggested).toBeVisible();
  await expectFramed(suggested, page.locator('drpo-model-card:not([selected]) article').first(), 'suggested model');
  // Its button is the main action: without its fill it keeps a thicker frame and a bold label.
  const primary = suggested.locator('button.primary');
  await expectFramed(primary, page.locator('drpo-model-card:not([selected]) article button').first(), 'primary button');
  expect(await primary.evaluate((b) => getComputedStyle(b).fontWeight)).toBe('700');

  await connectScriptedEndpoint(page, scripted.server.url);
  await nav(page, 'Data');
  await page.getByLabel('Upload your own').check();
  const drop = page.locator('drpo-data-view .drop');
  const dashes = () => drop.evaluate((e) => getComputedStyle(e).borderTopStyle);
  await expect.poll(dashes).toBe('dashed');
  await drop.dispatchEvent('dragover');
  await expect.poll(dashes, { message: 'a file over the drop zone' }).not.toBe('dashed');
  await drop.dispatchEvent('dragleave');

  await nav(page, 'Run');
  await expectFramed(
    page.locator('drpo-preset-card .card.chosen'),
    page.locator('drpo-preset-card .card:not(.chosen)').first(),
    'chosen preset',
  );

  // The Result view and the share page show the same "Use it" element; the share page needs no run.
  const { fragment } = await encodeAlignmentLink(sampleArtifact({ name: 'Forced colours' }));
  await page.goto(`./#${fragment}`);
  const formats = page.getByRole('group', { name: 'Export format' });
  await expect(formats.getByRole('button').first()).toBeVisible();
  await expectFramed(
    formats.locator('button[aria-pressed="true"]'),
    formats.locator('button[aria-pressed="false"]').first(),
    'chosen format',
  );
});

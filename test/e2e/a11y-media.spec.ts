/**
 * What Vitest's browser mode cannot emulate: forced colours (Windows High Contrast) and the window's size.
 * Forced colours drop backgrounds and shadows, so the current step and the selected prompt must keep a frame
 * of their own; a short or narrow window gets a static header (a sticky one would take much of it), and the
 * page's scroll padding follows the header only while it is sticky.
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { startTinyRun, useScriptedServer } from './flow-steps';

const scripted = useScriptedServer();

interface Frame {
  style: string;
  width: number;
}

/** The visible frame of an element: its outline, else its border (top side), as computed. */
function frameOf(el: Locator): Promise<Frame> {
  return el.evaluate((e) => {
    const s = getComputedStyle(e);
    const outline = { style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0 };
    const border = { style: s.borderTopStyle, width: parseFloat(s.borderTopWidth) || 0 };
    return outline.style !== 'none' && outline.width > 0 ? outline : border;
  });
}

function expectFramed(selected: Frame, other: Frame): void {
  expect(selected.style).not.toBe('none');
  expect(selected.width).toBeGreaterThan(0);
  expect(other).not.toEqual(selected);
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

test('forced colours keep a frame on the current step and the selected prompt', async ({ page }) => {
  test.setTimeout(60_000);
  await page.emulateMedia({ forcedColors: 'active' });
  await startTinyRun(page, scripted.server, { depth: 1 });

  const nav = page.getByRole('navigation', { name: 'Steps' });
  expectFramed(
    await frameOf(nav.locator('a[aria-current="page"]')),
    await frameOf(nav.getByRole('link', { name: 'Setup', exact: true })),
  );

  const list = page.getByRole('listbox', { name: 'Evaluated prompts' });
  await expect.poll(() => list.getByRole('option').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  // The frame is the forced-colours one, not the keyboard focus ring of the list (Start put focus on the heading).
  await expect(list).not.toBeFocused();
  expectFramed(
    await frameOf(list.locator('[role="option"][aria-selected="true"]')),
    await frameOf(list.locator('[role="option"][aria-selected="false"]').first()),
  );
});

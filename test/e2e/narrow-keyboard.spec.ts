/**
 * A 400 px wide window, used by keyboard only: Setup, Run (advanced settings open), Live (a run in progress, its
 * cancel question, paused, finished), Result and History (and the unfinished-runs banner on the way). On each: neither the page nor a box in it scrolls
 * sideways, nothing sticks out past the window's edges, no text is smaller than 11 px, and every Tab stop is on
 * screen with a visible focus line. The run's name and starting prompt are long words with no space
 * (a file-like name, a URL), which must wrap rather than widen the page.
 */
import { test, expect, type Page } from '@playwright/test';
import { gateReplies, nav, startTinyRun, useScriptedServer, waitForStatus, type ReplyGate } from './flow-steps';

const scripted = useScriptedServer();

const NAME = 'experiment_llama_1b_quick_run_number_0042_with_no_spaces_in_its_name';
const PROMPT =
  'You are a helpful assistant. Follow https://example.com/a/very/long/path/with/no/spaces/anywhere/style-guide.html';

/** What does not fit a narrow window: sideways scroll, boxes past its edges, text under 11 px. */
function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const W = innerWidth;
    const scroll = document.scrollingElement!.scrollWidth;
    if (scroll > W) out.push(`the page scrolls sideways: ${scroll} > ${W}`);
    const parentOf = (el: Element): Element | null => el.parentElement ?? (el.getRootNode() as ShadowRoot).host ?? null;
    /** Inside a box that scrolls or clips on purpose (a wide table, a preview cut with "…", a visually hidden label). */
    const contained = (el: Element): boolean => {
      for (let p = parentOf(el); p && p !== document.documentElement; p = parentOf(p))
        if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const what = (el: Element) => {
      const host = (el.getRootNode() as ShadowRoot).host;
      const words = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${host ? `${host.tagName.toLowerCase()} > ` : ''}${el.tagName.toLowerCase()} “${words}”`;
    };
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
        // A box that scrolls sideways hides part of what it holds (a cut name, buttons out of sight).
        if (/(auto|scroll)/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
          out.push(`${what(el)} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth} px`);
        if ((r.right > W + 0.5 || r.left < -0.5) && !contained(el))
          out.push(`${what(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
        const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        if (!ownText) continue;
        // SVG text is drawn scaled by its viewBox: its size on screen is what counts.
        const m = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
        const px = parseFloat(s.fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
        if (px < 11 && !contained(el)) out.push(`${what(el)} is ${px.toFixed(1)} px`);
      }
    };
    walk(document);
    return out;
  });
}

/**
 * Tabs through the whole page from its top: every stop is on screen and draws a focus line (an outline; the beam
 * tree's SVG nodes draw theirs as the node's stroke, checked in a11y-media.spec.ts). Returns the problems found.
 */
async function tabStops(page: Page): Promise<string[]> {
  const out: string[] = [];
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      const label = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      // Each element met gets a number of its own (kept in the page), so the walk knows when it has gone round.
      const w = window as unknown as { tabIds?: WeakMap<Element, number>; tabNext?: number };
      const ids = (w.tabIds ??= new WeakMap());
      if (!ids.has(el)) ids.set(el, (w.tabNext = (w.tabNext ?? 0) + 1));
      return {
        key: String(ids.get(el)),
        what: `${el.tagName.toLowerCase()} “${label}”`,
        ring: el instanceof SVGElement || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2),
        onScreen: r.width > 0 && r.left >= -0.5 && r.right <= innerWidth + 0.5,
      };
    });
    if (!stop) continue;
    if (seen.has(stop.key)) break; // round the page once
    seen.add(stop.key);
    if (!stop.ring) out.push(`${stop.what} has no focus line`);
    if (!stop.onScreen) out.push(`${stop.what} is off screen`);
  }
  expect(seen.size, 'Tab reached the page’s controls').toBeGreaterThan(3);
  return out;
}

async function expectNarrowAndKeyboard(page: Page, view: string): Promise<void> {
  // Let late renders (a chart, a list read from storage) settle; the checks poll, so no fixed wait decides.
  await expect.poll(() => misfits(page), { message: `${view} at 400 px` }).toEqual([]);
  expect(await tabStops(page), `${view}: Tab stops`).toEqual([]);
}

test('Setup, Run, Live, Result and History at 400 px, by keyboard', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 400, height: 800 });
  await page.goto('./#/setup');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNarrowAndKeyboard(page, 'setup (first visit)');
  // A connection that fails quotes the address typed, which may be one long word.
  await page.getByLabel('OpenAI-compatible endpoint').check();
  await page.getByLabel('Base URL').fill('http://127.0.0.1:9/a/long/path/to/a/server/behind/a/proxy/with/no/break/v1');
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(page.locator('drpo-endpoint-form #endpoint-error')).toBeVisible();
  await expectNarrowAndKeyboard(page, 'setup (connection failed)');

  // Replies are let through by count: the run is surely still going while the live view is checked.
  let gate: ReplyGate | undefined;
  const runId = await startTinyRun(page, scripted.server, {
    depth: 2,
    name: NAME,
    startingPrompt: PROMPT,
    validation: 2,
    beforeStart: async () => {
      gate = gateReplies(scripted.server, 8);
      // The Run view as it was just before Start: advanced settings open, name and prompt filled in.
      await expectNarrowAndKeyboard(page, 'run (advanced settings open)');
    },
  });
  await waitForStatus(page, /^Running$/);
  await expect(page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').first()).toBeVisible({
    timeout: 30_000,
  });
  await expectNarrowAndKeyboard(page, 'live (running)');

  // The cancel question by keyboard: Enter asks, the safe answer has focus, Escape keeps the run and goes back.
  const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
  await cancel.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Keep running' })).toBeFocused();
  await expect.poll(() => misfits(page), { message: 'live (cancel question) at 400 px' }).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(cancel).toBeFocused();
  await waitForStatus(page, /^Running$/);

  await nav(page, 'History');
  await expect(page.locator('drpo-history-view [data-delete-why]')).toBeVisible();
  await expectNarrowAndKeyboard(page, 'history (a run going)');

  // Paused, the run is offered for resuming on the other pages, under its name.
  await page.evaluate((id) => (location.hash = `#/live/${encodeURIComponent(id)}`), runId);
  await page.getByRole('button', { name: 'Pause' }).click();
  await waitForStatus(page, /^Paused$/);
  await expectNarrowAndKeyboard(page, 'live (paused)');
  await nav(page, 'Setup');
  await expect(page.getByRole('region', { name: 'Unfinished runs' })).toContainText(NAME);
  await expectNarrowAndKeyboard(page, 'setup (connected, an unfinished run)');
  await nav(page, 'History');
  await expect(page.locator('drpo-history-view tr[data-run]')).toHaveCount(1);
  await expectNarrowAndKeyboard(page, 'history (a paused run)');

  // A second run typed under the same name is said to be saved as "… (2)", the name quoted in the note.
  await nav(page, 'Run');
  await page.getByLabel('Run name (optional)').fill(NAME);
  await expect(page.locator('#run-name-note')).toContainText(`“${NAME} (2)”`);
  await expectNarrowAndKeyboard(page, 'run (its name taken)');

  // The replies held back were for requests the pause aborted: a resumed run asks again.
  gate!.dropWaiting();
  gate!.allow(1_000);
  await page.evaluate((id) => (location.hash = `#/live/${encodeURIComponent(id)}`), runId);
  await page.getByRole('button', { name: 'Resume' }).click();
  await waitForStatus(page, /^Finished$/, 60_000);
  await expectNarrowAndKeyboard(page, 'live (finished)');

  await page.getByRole('link', { name: 'See the result' }).click();
  await expect(page.locator('drpo-result-view pre.prompt').first()).toBeVisible();
  await expectNarrowAndKeyboard(page, 'result');

  await nav(page, 'History');
  await expect(page.locator('drpo-history-view tr[data-alignment]')).toHaveCount(1);
  await expectNarrowAndKeyboard(page, 'history');
  // An import that fails names the file, whose name may be one long word too.
  await page.locator('#import').setInputFiles({
    name: `${NAME}_export.json`,
    mimeType: 'application/json',
    buffer: Buffer.from('{not json'),
  });
  await expect(page.locator('drpo-history-view [data-import]')).toContainText(`${NAME}_export.json`);
  await expectNarrowAndKeyboard(page, 'history (an import refused)');
});

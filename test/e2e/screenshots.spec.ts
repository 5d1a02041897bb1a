/**
 * Screenshots of every view at phone (375 px) and desktop (1440 px) width, full page, saved under
 * test-results/screenshots/ for a human to look at. One tiny finished run feeds the live and result views.
 * Besides saving the pictures it checks the one layout rule a picture makes obvious: at 375 px nothing
 * may make the page scroll sideways.
 */
import { test, expect, type Page } from '@playwright/test';
import { encodeAlignmentLink } from '../../src/core/formats/link-codec';
import { nav, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';
import { sampleArtifact } from '../support/artifacts';

const scripted = useScriptedServer();

const DIR = 'test-results/screenshots';
const WIDTHS = [375, 1440] as const;

/** How far the page is wider than the viewport (0 when it fits). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function shoot(page: Page, name: string, width: number): Promise<void> {
  await page.waitForTimeout(250);
  await page.screenshot({ path: `${DIR}/${name}-${width}.png`, fullPage: true });
  if (width === 375) expect(await overflow(page), `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
}

test('every view at 375 and 1440 px', async ({ page }) => {
  test.setTimeout(120_000);
  const runId = await startTinyRun(page, scripted.server, { depth: 2, name: 'Screenshot run' });
  await waitForStatus(page, /^Finished$/, 60_000);

  const { fragment } = await encodeAlignmentLink(
    sampleArtifact({
      systemPrompt:
        'You are a helpful assistant.\n- Answer the question first, then explain briefly.\n- Say so when you are unsure.',
      icl: [{ query: 'What is the capital of Australia?', answer: 'Canberra, not Sydney.' }],
      name: 'A shared alignment',
    }),
  );

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const [label, name] of [
      ['Setup', 'setup'],
      ['Data', 'data'],
      ['Run', 'run'],
    ] as const) {
      await nav(page, label);
      await shoot(page, name, width);
    }
    await page.evaluate((id) => (location.hash = `#/live/${encodeURIComponent(id)}`), runId);
    await expect(page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').first()).toBeVisible();
    await page
      .getByRole('button', { name: /^Depth 1, score/ })
      .first()
      .click();
    await shoot(page, 'live', width);

    await page.evaluate((id) => (location.hash = `#/result/${encodeURIComponent(id)}`), runId);
    await expect(page.locator('drpo-result-view pre.prompt').first()).toBeVisible();
    await shoot(page, 'result', width);

    await nav(page, 'Playground');
    const playground = page.locator('drpo-playground-view');
    await playground.getByLabel('Message for both').fill('How do I keep basil alive on a windowsill?');
    await playground.getByRole('button', { name: 'Send to both' }).click();
    await expect(playground.getByRole('button', { name: 'Send to both' })).toBeVisible({ timeout: 20_000 });
    await shoot(page, 'playground', width);

    await nav(page, 'Evaluate');
    await shoot(page, 'evaluate', width);
    await nav(page, 'History');
    await expect(page.locator('drpo-history-view')).toContainText('Screenshot run');
    await shoot(page, 'history', width);

    await page.evaluate((f) => (location.hash = `#${f}`), fragment);
    await expect(page.locator('drpo-share-preview [data-state="ok"]')).toBeVisible();
    await shoot(page, 'share', width);
    await nav(page, 'Setup');
  }
});

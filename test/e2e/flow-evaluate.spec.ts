/** Issue 6: the Evaluate view against the scripted endpoint — scores with intervals, pairwise, exports. */
import { test, expect } from '@playwright/test';
import { connectScriptedEndpoint } from './helpers';
import { nav, useScriptedServer } from './flow-steps';

const scripted = useScriptedServer();

test('evaluates the baseline against no system prompt, pairwise, and exports JSON and CSV', async ({ page }) => {
  test.setTimeout(90_000);
  // Issue 12: at 1440 px the whole table is visible (no column hidden behind a sideways scroll).
  await page.setViewportSize({ width: 1440, height: 900 });
  await connectScriptedEndpoint(page, scripted.server.url);
  await nav(page, 'Evaluate');
  await page.getByLabel(/Baseline/).check();
  await page.getByLabel('No system prompt').check();
  await page.getByLabel('Queries to use').fill('4');
  await page.getByLabel('Also compare pairwise').check();
  await page.getByRole('button', { name: 'Run evaluation' }).click();

  const table = page.locator('table').first();
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(
    table
      .getByRole('rowheader')
      .filter({ hasText: /^Baseline$/ })
      .first(),
  ).toBeVisible();
  await expect(
    table
      .getByRole('rowheader')
      .filter({ hasText: /no system/i })
      .first(),
  ).toBeVisible();
  // Scores are numbers (with intervals), never colour alone.
  await expect(table).toContainText(/[1-5]\.\d/);
  const overflow = await page
    .locator('drpo-eval-results')
    .evaluate((el) =>
      [...el.shadowRoot!.querySelectorAll<HTMLElement>('.table-wrap')].map((w) => w.scrollWidth - w.clientWidth),
    );
  expect(overflow.length).toBeGreaterThan(0);
  for (const extra of overflow) expect(extra).toBeLessThanOrEqual(0);
  // The per-aspect chart comes first, then the table.
  const order = await page.locator('drpo-eval-results').evaluate((el) => {
    const root = el.shadowRoot!;
    return root.querySelector('figure.chart')!.compareDocumentPosition(root.querySelector('table.scores')!);
  });
  expect(order & 4).toBe(4);
  await expect(page.locator('table.pairwise')).toBeVisible();

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const report = JSON.parse(
    await (await json.createReadStream())!.toArray().then((c) => Buffer.concat(c).toString('utf8')),
  );
  expect(report.candidates.length).toBe(2);
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const text = Buffer.concat(await (await csv.createReadStream())!.toArray()).toString('utf8');
  expect(text.split('\n')[0]).toMatch(/candidate/i);

  // The judge and the answering model were both called through the endpoint: 4 queries × 2 candidates answered.
  const chats = scripted.server.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(chats.length).toBeGreaterThanOrEqual(16);
});

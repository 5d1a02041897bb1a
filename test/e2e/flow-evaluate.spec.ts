/** Issue 6: the Evaluate view against the scripted endpoint — scores with intervals, pairwise, exports. */
import { test, expect, type Page } from '@playwright/test';
import { connectScriptedEndpoint } from './helpers';
import { chatRequests, nav, useScriptedServer } from './flow-steps';

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

  // At a 400 px window (a phone, a split screen): the charts are laid out for the width, so their labels stay at
  // least 11 px as drawn, and each table scrolls sideways to its last column with its names still in view.
  await page.setViewportSize({ width: 400, height: 900 });
  const labelPx = () =>
    page
      .locator('drpo-eval-results')
      .evaluate((el) =>
        Math.min(
          ...[...el.shadowRoot!.querySelectorAll<SVGTextElement>('figure.chart svg text')].map(
            (t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM()!.a,
          ),
        ),
      );
  await expect.poll(labelPx).toBeGreaterThanOrEqual(11);
  for (const [name, kind] of [
    ['Scores per aspect', 'scores'],
    ['Pairwise win rates', 'pairwise'],
  ] as const) {
    const region = page.getByRole('region', { name });
    await region.scrollIntoViewIfNeeded();
    await expect(page.locator(`[data-scroll-hint="${kind}"]`)).toContainText('Scroll the table sideways');
    const last = region.getByRole('columnheader', { name: 'Parse failures' });
    await expect(last).not.toBeInViewport();
    await region.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await expect(last).toBeInViewport();
    for (const row of await region.getByRole('rowheader').all()) await expect(row).toBeInViewport();
  }
  await page.setViewportSize({ width: 1440, height: 900 });

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

test('a reload does not lose a long evaluation: it is offered for resuming and repeats almost no call', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const server = scripted.server;
  // One request at a time, 400 ms each: 4 queries × 2 candidates, answered then judged = 16 calls, ~6 s.
  server.setDelay(400);
  await connectScriptedEndpoint(page, server.url, { parallel: 1 });
  await nav(page, 'Evaluate');
  await page.getByLabel(/Baseline/).check();
  await page.getByLabel('No system prompt').check();
  await page.getByLabel('Queries to use').fill('4');
  await page.getByRole('button', { name: 'Run evaluation' }).click();
  // Closing the view does not stop it: back on Evaluate, the same evaluation goes on.
  await expect(page.getByText(/Answering · .* · [1-9]\/16/)).toBeVisible({ timeout: 20_000 });
  await nav(page, 'History');
  await nav(page, 'Evaluate');
  await expect(page.getByText(/(Answering|Judging) · .* · \d+\/16/)).toBeVisible();
  // Reload half-way, once the worker has kept a checkpoint (it does every few calls or every second).
  await expect(page.getByText(/(Answering|Judging) · .* · ([6-9]|1[0-2])\/16/)).toBeVisible({ timeout: 20_000 });

  await page.reload();
  await connectScriptedEndpoint(page, server.url, { parallel: 1 });
  const before = chatRequests(server).length;
  await nav(page, 'Evaluate');
  const notice = page.locator('[data-interrupted]');
  // What the checkpoint saved, not a phase it may have left.
  await expect(notice).toContainText(/was interrupted after step \d+ of 16 was saved\./);
  await notice.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('table').first()).toBeVisible({ timeout: 30_000 });
  await expect(notice).toHaveCount(0);
  // Only the calls of the last moments before the reload (and the one in flight) are made again.
  const total = chatRequests(server).length;
  expect(total).toBeLessThanOrEqual(16 + 6);
  expect(total - before).toBeLessThan(16);
});

test('a request the endpoint fails with HTTP 500 is retried, and the view says so while it waits', async ({ page }) => {
  test.setTimeout(60_000);
  const server = scripted.server;
  // One request at a time, 1.5 s each: the retried request is still on its way when its note has gone.
  server.setDelay(1500);
  await connectScriptedEndpoint(page, server.url, { parallel: 1 });
  await nav(page, 'Evaluate');
  await page.getByLabel(/Baseline/).check();
  await page.getByLabel('Queries to use').fill('1');
  server.setFaults({ mode: 'http-500', times: 1, paths: ['/chat/completions'] });
  // The note counts down and goes once the retry is due: a first retry's may show for a fraction of a second,
  // less than the assertion's poll, so every text it shows is kept from the first frame on.
  const shown = await recordWaitNotes(page);
  await page.getByRole('button', { name: 'Run evaluation' }).click();
  const note = page.locator('[data-waiting]');
  // Connecting asked the endpoint for a reply (its speed), so a 500 now is an outage, waited out; either way the
  // view names the fault and the retry.
  await expect
    .poll(shown, { timeout: 15_000 })
    .toContainEqual(
      expect.stringMatching(
        /^Waiting: the endpoint (went down \(HTTP 500\); it gets up to 1 min to come back \(retry 1, next|answered HTTP 500; retry 1 of 3) (now|in [\d.]+ s)\)?\.$/,
      ),
    );
  // The retried answer came: the note goes, and the judge's request is on its way (a screen reader hears it).
  await expect(note).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('[data-wait-said]')).toHaveText('The endpoint answered again; the evaluation goes on.');
  await expect(page.locator('table').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
  expect(chatRequests(server).filter((r) => r.status === 500)).toHaveLength(1);
});

test('an endpoint that rejects the API key: one message with where to fix it, and Resume once', async ({ page }) => {
  test.setTimeout(60_000);
  const server = scripted.server;
  await connectScriptedEndpoint(page, server.url);
  await nav(page, 'Evaluate');
  await page.getByLabel(/Baseline/).check();
  await page.getByLabel('Queries to use').fill('1');
  server.setFaults({ mode: 'http-401', paths: ['/chat/completions'] });
  await page.getByRole('button', { name: 'Run evaluation' }).click();
  const alert = page.getByRole('alert').filter({ hasText: /API key/ });
  await expect(alert).toContainText('The API key was rejected (401/403)', { timeout: 20_000 });
  await expect(alert).toContainText('Fix the API key in Setup → OpenAI-compatible endpoint');
  expect(((await alert.textContent()) ?? '').match(/Invalid API key/g)).toHaveLength(1);
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(1);
  await expect(page.locator('[data-interrupted]')).toHaveCount(0);
});

/** Keeps each text the page's wait note shows, frame by frame; the returned function reads them. */
async function recordWaitNotes(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { waitNotes: string[] }).waitNotes = seen;
    const find = (root: ParentNode): Element | null => {
      const hit = root.querySelector('[data-waiting]');
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot && find(el.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    const look = () => {
      const text = find(document)?.textContent?.replace(/\s+/g, ' ').trim();
      if (text && seen.at(-1) !== text) seen.push(text);
      requestAnimationFrame(look);
    };
    look();
  });
  return () => page.evaluate(() => (window as unknown as { waitNotes: string[] }).waitNotes);
}

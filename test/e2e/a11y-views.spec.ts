/**
 * Issue 6: every view passes axe-core with no serious or critical violation — setup (endpoint connected),
 * data, run, live (a run in progress and a finished one), result, playground (with an answer), evaluate,
 * history (with a run and an alignment) and the share preview. Axe reads open shadow roots, so the Lit
 * components are checked from inside.
 */
import { test, expect, type Page } from '@playwright/test';
import { connectScriptedEndpoint, expectAccessible } from './helpers';
import { encodeAlignmentLink } from '../../src/core/formats/link-codec';
import { nav, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';
import { sampleArtifact } from '../support/artifacts';

const scripted = useScriptedServer();

test('setup, data, run, live, result, playground, evaluate and history have no serious violations', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./#/setup');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page, 'setup (first visit)');

  // A slow endpoint first, so the live view can be checked while the run is going.
  scripted.server.setDelay(250);
  const runId = await startTinyRun(page, scripted.server, { depth: 2, name: 'A11y run' });
  await waitForStatus(page, /^Running$/);
  await expect(page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').first()).toBeVisible({
    timeout: 30_000,
  });
  await expectAccessible(page, 'live (running)');
  scripted.server.setDelay(15);
  await waitForStatus(page, /^Finished$/, 60_000);
  await page
    .getByRole('button', { name: /^Depth 1, score/ })
    .first()
    .click();
  await expect(page.getByRole('article', { name: 'Prompt at depth 1' })).toBeVisible();
  await expectAccessible(page, 'live (finished, node selected)');

  await page.getByRole('link', { name: 'See the result' }).click();
  await expect(page).toHaveURL(new RegExp(`#/result/${runId}$`));
  await expect(page.locator('drpo-result-view pre.prompt').first()).toBeVisible();
  await expectAccessible(page, 'result');

  for (const [label, view] of [
    ['Setup', 'setup (connected)'],
    ['Data', 'data'],
    ['Run', 'run'],
  ] as const) {
    await nav(page, label);
    await page.waitForTimeout(200);
    await expectAccessible(page, view);
  }
  await page.getByText('Advanced settings and budget').click();
  await expectAccessible(page, 'run (advanced settings open)');

  await nav(page, 'Playground');
  const playground = page.locator('drpo-playground-view');
  await playground.getByLabel('Message for both').fill('What is a good way to learn a language?');
  await playground.getByRole('button', { name: 'Send to both' }).click();
  await expect(playground.getByRole('button', { name: 'Send to both' })).toBeVisible({ timeout: 20_000 });
  await expectAccessible(page, 'playground (with answers)');

  await nav(page, 'Evaluate');
  await expectAccessible(page, 'evaluate');

  await nav(page, 'History');
  await expect(page.locator('drpo-history-view')).toContainText('A11y run');
  await expectAccessible(page, 'history');

  // Phone width: narrow layouts must not hide content in unreachable scroll areas.
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page, 'history (375 px)');
  await page.evaluate((id) => (location.hash = `#/live/${encodeURIComponent(id)}`), runId);
  await expect(page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').first()).toBeVisible();
  await expectAccessible(page, 'live (375 px)');
  // Issue 12's new surfaces at phone width: the result with its exports, setup's first screen, evaluate.
  await page.evaluate((id) => (location.hash = `#/result/${encodeURIComponent(id)}`), runId);
  await expect(page.locator('drpo-result-view drpo-use-it pre[data-export]')).toBeVisible();
  await expectAccessible(page, 'result with exports (375 px)');
  await nav(page, 'Setup');
  await expectAccessible(page, 'setup (375 px)');
  await nav(page, 'Evaluate');
  await expectAccessible(page, 'evaluate (375 px)');
});

const SHARED = sampleArtifact({
  systemPrompt: 'You are a helpful assistant.\n- Answer the question first, then explain.',
  icl: [{ query: 'What is 2 + 2?', answer: 'It is **4**.' }],
  name: 'Shared alignment for axe',
});

test('the share preview and an invalid link have no serious violations', async ({ page }) => {
  const { fragment } = await encodeAlignmentLink(SHARED);
  await page.goto(`./#${fragment}`);
  await expect(page.locator('drpo-share-preview [data-state="ok"]')).toBeVisible();
  await expectAccessible(page, 'share preview');
  await page.locator('drpo-share-preview [data-examples] summary').click();
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page, 'share preview, examples open (375 px)');
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto('./#a=not-a-valid-payload');
  await page.reload();
  await expect(page.locator('drpo-share-preview [data-state="invalid"]')).toBeVisible();
  await expectAccessible(page, 'share preview (invalid link)');

  await page.goto('./#/no-such-view');
  await page.reload();
  await expectAccessible(page, 'not found');
});

test.describe('dark colour scheme', () => {
  test.use({ colorScheme: 'dark' });

  test('the main views have no serious violations in dark mode', async ({ page }) => {
    await page.goto('./#/setup');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page, 'setup (dark)');
    for (const label of ['Data', 'Run', 'Playground', 'Evaluate', 'History']) {
      await nav(page, label);
      await page.waitForTimeout(200);
      await expectAccessible(page, `${label.toLowerCase()} (dark)`);
    }
    // A shared alignment with its exports, dark.
    const { fragment } = await encodeAlignmentLink(SHARED);
    await page.goto(`./#${fragment}`);
    await expect(page.locator('drpo-share-preview drpo-use-it pre[data-export]')).toBeVisible();
    await expectAccessible(page, 'share preview with exports (dark)');

    // A live run with an info popover open (issue 12), dark: a slow endpoint (a second a request, so the run is
    // surely still going when its first best shows) that then stops answering keeps the run going meanwhile.
    test.setTimeout(90_000);
    scripted.server.setDelay(1000);
    try {
      await startTinyRun(page, scripted.server, { depth: 2, name: 'Dark run' });
      const status = page.getByRole('region', { name: 'Run status' });
      await expect(status.locator('[data-best]')).toContainText(/path mean \d\.\d\d \(best so far\)/, {
        timeout: 30_000,
      });
      // A finished run's header says what its final check decided instead of its best so far (the popover would
      // go with it): the endpoint stops answering, so the run is still going while the popover is checked.
      scripted.server.setFaults({ mode: 'timeout' });
      await status.getByRole('button', { name: 'What is “path mean”?' }).click();
      await expect(status.getByRole('tooltip')).toContainText('mean of the scores along a prompt’s path');
      await expectAccessible(page, 'live (running, info popover open, dark)');
      await expect(status.getByRole('tooltip')).toBeVisible();
    } finally {
      scripted.server.setFaults(null);
      scripted.server.setDelay(15);
    }
  });
});

/**
 * Copies the first stored record of `store` (an alignment, an evaluation) `count` times straight into IndexedDB,
 * each newer than the last and named "<prefix> <n>": the long lists a user builds over months, in a second.
 */
async function cloneRecords(page: Page, store: string, prefix: string, count: number): Promise<void> {
  await page.evaluate(
    ([store, prefix, count]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('drpo-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, 'readwrite');
          const all = tx.objectStore(store).getAll();
          all.onsuccess = () => {
            const first = all.result[0] as { id: string; savedAt: number };
            for (let i = 1; i <= count; i++)
              tx.objectStore(store).put({
                ...first,
                id: `${first.id}-copy-${i}`,
                name: `${prefix} ${i}`,
                savedAt: first.savedAt + i,
              });
          };
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    [store, prefix, count] as const,
  );
}

/** The element focused inside the open shadow roots, as `tag[attr]` with its text. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const row = el?.closest('[data-alignment], [data-evaluation]');
    const where = row ? `${row.getAttribute('data-alignment') ?? row.getAttribute('data-evaluation')} ` : '';
    return `${where}${el?.tagName.toLowerCase()}:${el?.textContent?.trim().replace(/\s+/g, ' ') ?? ''}`;
  });
}

test('long lists: History and Saved evaluations with many rows, Show more, a filter with no match and a delete', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await connectScriptedEndpoint(page, scripted.server.url);
  // One real evaluation and one imported alignment, then copies of each: 25 evaluations, 61 saved alignments.
  await nav(page, 'Evaluate');
  await page.getByLabel(/Baseline/).check();
  await page.getByLabel('Queries to use').fill('1');
  await page.getByRole('button', { name: 'Run evaluation' }).click();
  await expect(page.locator('drpo-eval-results table').first()).toBeVisible({ timeout: 30_000 });
  await nav(page, 'History');
  await page.locator('#import').setInputFiles({
    name: 'one.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(SHARED)),
  });
  await expect(page.locator('drpo-history-view [data-import]')).toContainText('Imported alignment');
  await cloneRecords(page, 'alignments', 'Copied alignment', 60);
  await cloneRecords(page, 'evaluations', 'Copied evaluation', 24);
  await page.reload();

  const history = page.locator('drpo-history-view');
  await expect(history.locator('tr[data-alignment]')).toHaveCount(50);
  await expectAccessible(page, 'history (61 saved alignments, a page shown)');
  // Go to: the list's heading takes the focus.
  await history.getByRole('link', { name: /^Saved alignments/ }).click();
  expect(await focused(page)).toBe('h3:Saved alignments');
  // Show more by keyboard: the last page, so the button goes and focus goes to the first row it added.
  const more = history.getByRole('button', { name: 'Show 11 more' });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(history.locator('tr[data-alignment]')).toHaveCount(61);
  expect(await focused(page)).toMatch(/ button:/);
  await expectAccessible(page, 'history (all 61 saved alignments shown)');
  // A filter with no match says so, and the page stays accessible.
  await history.getByLabel('Filter saved alignments').fill('no such name');
  await expect(history.locator('[data-more="alignments"] [data-count]')).toHaveText(
    'No saved alignments match “no such name”. Clear the filter to see all 61.',
  );
  await expectAccessible(page, 'history (filter with no match)');
  await history.getByLabel('Filter saved alignments').fill('Copied alignment 6');
  // Delete: the row goes at once and focus goes to the Delete of the row that took its place.
  const row = history.locator('tr[data-alignment]').first();
  const id = await row.getAttribute('data-alignment');
  await row.getByRole('button', { name: 'Delete' }).click();
  await history.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(history.locator(`tr[data-alignment="${id}"]`)).toHaveCount(0);
  expect(await focused(page)).toMatch(/^\S+ button:Delete$/);
  await expectAccessible(page, 'history (after a delete)');

  await nav(page, 'Evaluate');
  const saved = page.locator('drpo-saved-evaluations');
  await expect(saved.locator('li[data-evaluation]')).toHaveCount(20);
  await expectAccessible(page, 'evaluate (25 saved evaluations, a page shown)');
  await saved.getByRole('button', { name: 'Show 5 more' }).focus();
  await page.keyboard.press('Enter');
  await expect(saved.locator('li[data-evaluation]')).toHaveCount(25);
  expect(await focused(page)).toMatch(/ button:(Open|Delete)$/);
  await saved.getByLabel('Filter evaluations').fill('no such evaluation');
  await expect(saved.locator('[data-count]')).toHaveText(
    'No evaluations match “no such evaluation”. Clear the filter to see all 25.',
  );
  await expectAccessible(page, 'evaluate (filter with no match)');
  await saved.getByLabel('Filter evaluations').fill('Copied evaluation 1');
  const first = saved.locator('li[data-evaluation]').first();
  await first.getByRole('button', { name: 'Delete' }).click();
  await saved.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(saved.locator('li[data-evaluation]')).toHaveCount(10);
  expect(await focused(page)).toMatch(/^\S+ button:Delete$/);
  await expectAccessible(page, 'evaluate (after a delete)');
});

test('a long Playground conversation: both logs scroll, can be reached by keyboard, and pass axe', async ({ page }) => {
  test.setTimeout(120_000);
  await connectScriptedEndpoint(page, scripted.server.url);
  await nav(page, 'Playground');
  const playground = page.locator('drpo-playground-view');
  const box = playground.getByLabel('Message for both');
  const send = playground.getByRole('button', { name: 'Send to both' });
  for (let i = 1; i <= 12; i++) {
    await box.fill(`Question ${i}: show me a short code example and explain it.`);
    await send.click();
    await expect(send).toBeVisible({ timeout: 20_000 });
  }
  const logs = playground.locator('drpo-chat-pane .log');
  await expect(logs).toHaveCount(2);
  for (const log of await logs.all()) {
    const [scroll, client] = await log.evaluate((el) => [el.scrollHeight, el.clientHeight]);
    expect(scroll).toBeGreaterThan(client);
  }
  // The keyboard reaches the log and scrolls it up to the first answer.
  const first = logs.first();
  await first.focus();
  await page.keyboard.press('Home');
  await expect.poll(() => first.evaluate((el) => el.scrollTop)).toBe(0);
  await expectAccessible(page, 'playground (a long conversation)');
});

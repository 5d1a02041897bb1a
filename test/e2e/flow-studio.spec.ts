/**
 * Issue 4: the whole studio flow against the scripted endpoint — setup → data → run → live → result → share →
 * playground → history. Issue 12: the result is saved as an alignment when the run ends (renameable), the
 * Playground and Evaluate preselect it against its starting prompt, one message goes to both panes at once,
 * and the Result view's "Use it" exports match the downloaded alignment exactly.
 */
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import { toOllamaModelfile } from '../../src/core/formats/export-formats';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import { connectScriptedEndpoint, watchErrors } from './helpers';
import {
  chatRequests,
  gateReplies,
  nav,
  nodeCount,
  startTinyRun,
  treeCount,
  useScriptedServer,
  waitForStatus,
  type ReplyGate,
} from './flow-steps';

const scripted = useScriptedServer();

test('a tiny quick run: live view, result actions, share link, playground A/B, history', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const runId = await startTinyRun(page, scripted.server, { depth: 2, name: 'Flow run' });

  // Live view: nodes appear, tree and chart are there.
  await expect.poll(() => nodeCount(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('group', { name: /^Search tree:/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Reward over depth' })).toBeVisible();
  await waitForStatus(page, /^Finished$/);
  // Over: the side panel shows the prompt the run hands back, not the newest one, and says so.
  await expect(
    page.getByRole('region', { name: 'The result' }).getByRole('heading', { name: 'The result' }),
  ).toBeVisible();
  const nodes = await nodeCount(page);
  expect(nodes).toBeGreaterThanOrEqual(3);
  expect(await treeCount(page)).toBe(nodes);
  await expect(page.getByRole('region', { name: 'Reward over depth' }).locator('svg')).toBeVisible();

  // Select a depth-1 node in the tree: the candidate panel shows query, aspects, numeric scores, prompt diff.
  await page
    .getByRole('button', { name: /^Depth 1, score/ })
    .first()
    .click();
  const panel = page.getByRole('article', { name: 'Prompt at depth 1' });
  await expect(panel).toBeVisible();
  await expect(panel.locator('.query').first()).not.toBeEmpty();
  await expect(panel.getByText('Aspects the judge chose').first()).toBeVisible();
  await expect(panel.locator('.aspects li').first()).toBeVisible();
  const scoreText = (await panel.locator('.score-num').first().textContent())?.trim() ?? '';
  expect(Number(scoreText)).toBeGreaterThanOrEqual(1);
  expect(Number(scoreText)).toBeLessThanOrEqual(5);
  await expect(panel.getByRole('meter').first()).toHaveAttribute('aria-valuenow', /^[1-5](\.\d+)?$/);
  // The diff against the parent is on by default, with counts and marked insertions; it toggles to the plain prompt.
  await expect(panel.getByText(/^\+\d+ words, −\d+ words vs\. its parent$/)).toBeVisible();
  await expect(panel.getByLabel('Prompt with changes marked').locator('ins').first()).toBeVisible();
  await panel.getByRole('button', { name: 'Show plain prompt' }).click();
  await expect(panel.getByLabel('Prompt', { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Show changes' })).toBeVisible();

  // Result.
  await page.getByRole('link', { name: 'See the result' }).click();
  await expect(page).toHaveURL(new RegExp(`#/result/${runId}$`));
  const prompt = ((await page.locator('drpo-result-view pre.prompt').first().textContent()) ?? '').trim();
  expect(prompt.length).toBeGreaterThan(10);

  await page.getByRole('button', { name: 'Copy prompt' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Prompt copied.' })).toBeVisible();
  expect((await page.evaluate(() => navigator.clipboard.readText())).trim()).toBe(prompt);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  const text = await readFile((await download.path())!, 'utf8');
  const json = JSON.parse(text) as Record<string, unknown>;
  // Use it: the Modelfile is built from exactly this alignment.
  const useIt = page.locator('drpo-result-view drpo-use-it');
  const [modelfile] = await Promise.all([
    page.waitForEvent('download'),
    useIt.getByRole('button', { name: 'Download Modelfile' }).click(),
  ]);
  expect(await readFile((await modelfile.path())!, 'utf8')).toBe(
    toOllamaModelfile(json as unknown as AlignmentArtifact),
  );
  expect(json.format).toBe('drpo-alignment');
  expect(json.version).toBe(1);
  expect(String(json.systemPrompt).trim()).toBe(prompt);
  expect(text).not.toMatch(/apiKey/i);

  await page.getByRole('button', { name: 'Copy share link' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Share link copied/ })).toBeVisible();
  const link = await page.getByLabel(/Share link/).inputValue();
  expect(link).toMatch(/#a=/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // The run saved its result under the run's name: no Save needed; Rename opens with its field focused.
  const saved = page.locator('drpo-result-view [data-saved]');
  await expect(saved).toContainText('Saved as “Flow run”');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
  await saved.getByRole('button', { name: 'Rename' }).click();
  const newName = page.getByLabel('New name');
  await expect(newName).toBeFocused();
  await newName.fill('Flow result');
  await newName.press('Enter');
  await expect(saved).toContainText('Saved as “Flow result”');

  // Evaluate on more questions: Evaluate opens with this alignment and its starting prompt chosen.
  await page.getByRole('button', { name: 'Evaluate on more questions' }).click();
  await expect(page).toHaveURL(/#\/evaluate$/);
  const evaluate = page.locator('drpo-eval-view');
  await expect(evaluate.getByLabel('Flow result')).toBeChecked();
  // Its start is the baseline's text: one box names both, and the baseline is not offered again beside it.
  await expect(evaluate.getByLabel(/Their starting prompt .*, also the baseline/)).toBeChecked();
  await expect(evaluate.getByLabel(/Baseline: /)).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/result/${runId}$`));

  // The share link in a fresh context (another person): same prompt, and it can be tried.
  const other = await browser.newContext();
  const shared = await other.newPage();
  const sharedErrors = watchErrors(shared);
  await shared.goto(link);
  await expect(shared.getByRole('heading', { name: /Shared alignment/ })).toBeVisible();
  expect(((await shared.locator('[data-prompt]').textContent()) ?? '').trim()).toBe(prompt);
  await shared.getByRole('button', { name: 'Try it in the playground' }).click();
  await expect(shared).toHaveURL(/#\/playground$/);
  await expect(shared.getByRole('heading', { name: 'Playground' })).toBeVisible();
  await expect(shared.getByLabel('B (aligned)')).not.toContainText('No saved alignments');
  await expect(shared.getByText('Pane B has no alignment yet')).toHaveCount(0);
  expect(sharedErrors).toEqual([]);
  await other.close();

  // Playground after a reload (a new session): pane B holds the latest result, never saved by hand.
  await page.reload();
  await nav(page, 'Playground');
  await expect(page.locator('drpo-playground-view select#align')).toHaveValue(/.+/);
  await expect(page.locator('drpo-playground-view select#align option:checked')).toHaveText('Flow result');
  await expect(page.getByText('Pane B has no alignment yet')).toHaveCount(0);
  await expect(page.locator('drpo-playground-view select#baseline option:checked')).toHaveText(
    /Starting prompt of B: “You are a helpful assistant\.”/,
  );
  // One message goes to both panes at once (an endpoint answers both together).
  await connectScriptedEndpoint(page, scripted.server.url);
  await nav(page, 'Playground');
  scripted.server.setDelay(1500);
  const sentBefore = chatRequests(scripted.server).length;
  await page.getByLabel('Message for both').fill('How do I boil an egg?');
  await page.getByRole('button', { name: 'Send to both' }).click();
  const paneA = page.locator('#pane-a');
  const paneB = page.locator('#pane-b');
  await expect.poll(() => chatRequests(scripted.server).length, { timeout: 1200 }).toBe(sentBefore + 2);
  await expect(paneA.getByText('Answering…')).toBeVisible();
  scripted.server.setDelay(15);
  await expect(paneA.getByText(/boil an egg/).nth(1)).toBeVisible({ timeout: 15_000 });
  await expect(paneB.getByText(/boil an egg/).nth(1)).toBeVisible({ timeout: 15_000 });
  // A asked with the starting prompt, B with the aligned one (both in flight together, in any order).
  const system = (r: (typeof asks)[number] | undefined) =>
    r?.body.messages?.find((m) => m.role === 'system')?.content ?? '';
  const asks = chatRequests(scripted.server).slice(-2);
  const askA = asks.find((r) => system(r) === 'You are a helpful assistant.');
  const askB = asks.find((r) => r !== askA);
  expect(askA).toBeTruthy();
  // B: the alignment prompt, then the in-context examples retrieved for this message.
  expect(system(askB)?.startsWith(prompt)).toBe(true);
  expect(system(askB)).toContain('# Query:');
  expect(askB?.body.messages?.at(-1)?.content).toBe('How do I boil an egg?');

  // History lists the run and the one alignment it saved (Result's Save was never needed).
  await nav(page, 'History');
  await expect(page.locator(`tr[data-run="${runId}"]`)).toContainText('Flow run');
  await expect(page.locator(`tr[data-run="${runId}"]`)).toContainText(/Finished/);
  await expect(page.locator('tr[data-alignment]')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('Pause keeps the progress and Resume continues it; Cancel stops for good', async ({ page }) => {
  const errors = watchErrors(page);
  // The run's replies are let through by count, so it stops short of its end however fast the machine is. Paced
  // by time instead, under load it once ended between the poll that saw the resumed run's first new prompt and
  // the press of Cancel (and can end before Pause). A search of depth 4 here has 9 prompts: 4 after the run's
  // 11th reply, 5 after its 14th, 8 after its 24th, all 9 after its 27th.
  let gate: ReplyGate | undefined;
  await startTinyRun(page, scripted.server, {
    depth: 4,
    beforeStart: async () => {
      gate = gateReplies(scripted.server, 12);
    },
  });
  await waitForStatus(page, /^Running$/);
  await expect.poll(() => nodeCount(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

  await page.getByRole('button', { name: 'Pause' }).click();
  await waitForStatus(page, /^Paused$/);
  const paused = await nodeCount(page);
  await page.waitForTimeout(800);
  expect(await nodeCount(page)).toBe(paused); // nothing runs while paused
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();

  // Enough replies for the next prompt (a resumed run replays what its checkpoint holds and asks the rest again),
  // far too few for the level after it: the run is still going when Cancel is pressed.
  gate!.dropWaiting();
  gate!.allow(8);
  await page.getByRole('button', { name: 'Resume' }).click();
  await waitForStatus(page, /^Running$/);
  await expect.poll(() => nodeCount(page), { timeout: 30_000 }).toBeGreaterThan(paused);

  await page.getByRole('button', { name: 'Cancel' }).click();
  // A cancelled run cannot be resumed: the page asks first.
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await waitForStatus(page, /^Cancelled$/);
  const cancelled = await nodeCount(page);
  expect(cancelled).toBeGreaterThan(paused);
  await expect(page.getByRole('button', { name: /^(Resume|Pause|Cancel|Keep running|Yes, cancel)$/ })).toHaveCount(0);
  const calls = chatRequests(scripted.server).length;
  await page.waitForTimeout(800);
  expect(chatRequests(scripted.server).length).toBe(calls); // the worker really stopped calling the endpoint
  expect(await nodeCount(page)).toBe(cancelled);

  // History shows it as cancelled.
  await nav(page, 'History');
  await expect(page.locator('tr[data-run]').first()).toContainText(/cancelled/i);
  expect(errors.filter((e) => !/abort|cancel/i.test(e))).toEqual([]);
});

/**
 * Issue 9: a run starts from the user's own prompt, is checked against it on held-out questions, and the
 * Result view says in words how the result compares (or that nothing beat the start).
 */
import { test, expect } from '@playwright/test';
import { expectAccessible, watchErrors } from './helpers';
import { nav, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';

const scripted = useScriptedServer();
const START = 'You answer briefly, kindly and honestly.';

test('the starting prompt is the root and the control; Result gives the verdict against it', async ({ page }) => {
  const errors = watchErrors(page);
  await startTinyRun(page, scripted.server, {
    depth: 2,
    validation: 4,
    beforeStart: async () => {
      // An empty starting prompt is refused in words and Start stays disabled until it is written.
      const field = page.getByLabel('Starting prompt');
      await field.fill('   ');
      await expect(page.locator('#start-why')).toContainText('Write a starting prompt');
      await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
      await field.fill(START);
    },
  });
  await waitForStatus(page, /^Finished$/, 45_000);
  await page.getByRole('link', { name: 'See the result' }).click();
  const verdict = page.locator('[data-outcome]');
  await expect(verdict).toBeVisible();
  // The scripted server is deterministic: from this start nothing proves better, and the page says so.
  await expect(verdict).toHaveAttribute('data-outcome', 'no-improvement');
  await expect(verdict).toContainText('No improvement found');
  // 4 held out: the race chose on 2, the verdict was taken on the other 2, and the sentence says so.
  await expect(verdict).toContainText('on 2 of your 4 held-out questions (the other 2 were used to pick it)');
  // The closest candidate is the start with examples: set against the same prompt without them, not against
  // "the starting prompt" as if it were another.
  await expect(verdict).toContainText(
    'your prompt with 2 worked examples per question scored 3.50 vs 4.50 without them',
  );
  // The search's own prompts lost the race to the start: said from the run's race scores.
  await expect(page.locator('[data-finalists]')).toContainText(
    'The search’s own prompts lost the race on the held-out questions to your prompt with',
  );
  // The tiles show the figures the sentence compares: the closest candidate's and the start's.
  await expect(page.locator('[data-figure=candidate]')).toContainText('Closest candidate');
  await expect(page.locator('[data-figure=candidate] .score')).toHaveText('3.50');
  await expect(page.locator('[data-figure=start]')).toContainText('Starting prompt');
  await expect(page.locator('[data-figure=start] .score')).toHaveText('4.50');
  await expect(page.locator('pre.prompt').first()).toHaveText(START);
  // The lineage starts at the user's prompt.
  await expect(page.getByText(START).first()).toBeVisible();
  // The near miss is kept: opened, it says how it scored and goes to the playground against the start.
  const near = page.locator('drpo-closest-candidate details.closest');
  await near.locator(':scope > summary').click();
  await expect(near).toContainText('than the starting prompt: your prompt with 2 worked examples per question scored');
  // Its worked examples can be read, folded under its prompt.
  await near.locator('[data-examples] > summary').click();
  await expect(near.locator('[data-examples] li').first()).toBeVisible();
  await expectAccessible(page, 'result (closest candidate open)');
  await near.getByRole('button', { name: 'Try it in the playground' }).click();
  await expect(page).toHaveURL(/#\/playground$/);
  await expect(page.getByLabel('B (aligned)')).toContainText('Closest candidate');
  await expect(page.getByRole('heading', { name: /^B · Closest candidate/ })).toBeVisible();
  await page.goBack();
  // "Open in playground" opens the result itself: the Playground says it is the starting prompt unchanged (not
  // two panes that seem to compare something), and puts the same closest candidate in B on request.
  await page.getByRole('button', { name: 'Open in playground' }).click();
  await expect(page).toHaveURL(/#\/playground$/);
  const unchanged = page.locator('[data-unchanged]');
  await expect(unchanged).toContainText('This result is your starting prompt unchanged');
  await expect(page.getByRole('heading', { name: /^B · Closest candidate/ })).toHaveCount(0);
  await expectAccessible(page, 'playground (a no-improvement result)');
  await unchanged.getByRole('button', { name: 'Try the closest candidate in B' }).click();
  await expect(page.getByRole('heading', { name: /^B · Closest candidate/ })).toBeVisible();
  await expect(unchanged).toHaveCount(0);
  await page.goBack();
  await nav(page, 'Run');
  await expect(page.getByLabel('Starting prompt')).toHaveValue(START);
  expect(errors).toEqual([]);
});

test('Evaluate’s note and the Result’s “Saved as” line are links that go where they say', async ({ page }) => {
  const errors = watchErrors(page);
  await startTinyRun(page, scripted.server, { depth: 2, validation: 4, startingPrompt: START });
  await waitForStatus(page, /^Finished$/, 45_000);
  await page.getByRole('link', { name: 'See the result' }).click();
  await expect(page.locator('[data-outcome]')).toHaveAttribute('data-outcome', 'no-improvement');
  const saved = page.locator('[data-saved]');
  await expect(saved).toContainText('(History, Playground, Evaluate)');
  const runName = (await saved.locator('strong').textContent())!.replace(/^“|”$/g, '');
  // Evaluate, with the result chosen: it kept its starting prompt, so the note points to the closest candidate.
  await saved.getByRole('link', { name: 'Evaluate' }).click();
  await expect(page).toHaveURL(/#\/evaluate$/);
  await expect(
    page.getByRole('checkbox', { name: `${runName} (your starting prompt, unchanged)`, exact: true }),
  ).toBeChecked();
  const note = page.locator('[data-same-start]');
  await note.getByRole('link', { name: 'open it in the run’s Result' }).click();
  // The Result, its closest candidate open and its Evaluate focused: Enter evaluates it.
  await expect(page).toHaveURL(/#\/result\/[^/?]+\?closest=1$/);
  await expect(page.locator('drpo-closest-candidate details.closest')).toHaveAttribute('open', '');
  const evaluate = page.getByRole('button', { name: 'Evaluate it against your prompt' });
  await expect(evaluate).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/evaluate$/);
  await expect(page.getByRole('checkbox', { name: `Closest candidate of ${runName}` })).toBeChecked();
  // Back on the Result: its Playground link opens the Playground with it.
  await page.goBack();
  await expect(page.locator('[data-saved]')).toBeVisible();
  await page.locator('[data-saved]').getByRole('link', { name: 'Playground' }).click();
  await expect(page).toHaveURL(/#\/playground$/);
  await expect(page.getByRole('heading', { name: new RegExp(`^B · ${runName}`) })).toBeVisible();
  expect(errors).toEqual([]);
});

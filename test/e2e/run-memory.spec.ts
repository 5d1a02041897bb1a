/**
 * The Run view's choices survive a reload at once: the last words typed in the starting prompt (kept in a
 * synchronous draft as the page goes away), the changed settings and the budget (setup memory).
 */
import { test, expect } from '@playwright/test';
import { watchErrors } from './helpers';

test('a reload right after typing keeps the prompt, the changed settings and the budget', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./#/run');
  const run = page.locator('drpo-run-view');
  await run.getByText('Advanced settings and budget').click();
  for (const [label, value] of [
    ['Depth', '9'],
    ['Max model calls', '40'],
  ] as const) {
    const box = run.getByLabel(label, { exact: true });
    await box.fill(value);
    await box.press('Tab');
  }
  // Typed, and the page reloaded within the pause the store write waits for.
  await run.getByLabel('Starting prompt').fill('You answer in one short paragraph.');
  await page.reload();
  await expect(run.getByLabel('Starting prompt')).toHaveValue('You answer in one short paragraph.');
  await run.getByText('Advanced settings and budget').click();
  await expect(run.getByLabel('Depth', { exact: true })).toHaveValue('9');
  await expect(run.getByLabel('Max model calls', { exact: true })).toHaveValue('40');
  await expect(run.locator('drpo-preset-card').first().locator('[data-budget-stop]')).toContainText('stops at 40 of');
  expect(errors).toEqual([]);
});

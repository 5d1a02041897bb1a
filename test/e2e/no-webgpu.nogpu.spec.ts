/** Without --enable-unsafe-webgpu Chromium has no adapter: the page says so, and endpoints still work. */
import { test, expect } from '@playwright/test';
import { connectScriptedEndpoint, control, watchErrors } from './helpers';

test('shows a clear no-WebGPU message and the endpoint chat still works', async ({ page }) => {
  await control({ reset: true, delayMs: 15 });
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByText(/webgpureport\.org/i).first()).toBeVisible();
  await expect(page.getByText(/Chrome|Edge/).first()).toBeVisible();
  await connectScriptedEndpoint(page);
  await page.getByLabel('Message').first().fill('Hello without a GPU');
  await page.getByRole('button', { name: 'Send' }).first().click();
  await expect(page.getByText(/without a GPU/).nth(1)).toBeVisible({ timeout: 15_000 });
  expect(errors).toEqual([]);
});

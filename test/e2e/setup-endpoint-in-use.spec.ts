/**
 * A failed "Test connection" to another address leaves the server in use untouched: the check chat and a run
 * still go to it, and nothing is sent to the address that failed.
 */
import { test, expect } from '@playwright/test';
import { connectScriptedEndpoint, watchErrors } from './helpers';
import { chatRequests, nav, useScriptedServer } from './flow-steps';
import { startScriptedServer } from '../fixtures/scripted-server';
import type { ScriptedServer } from '../fixtures/scripted-server';

const scripted = useScriptedServer();
let keyed: ScriptedServer;
test.beforeAll(async () => {
  keyed = await startScriptedServer({ port: 0, delayMs: 15, apiKey: 'sk-keyed' });
});
test.afterAll(async () => {
  await keyed?.close();
});

test('a failed connection test to another server keeps the one in use for the check chat and the run', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const working = scripted.server;
  await connectScriptedEndpoint(page, working.url);
  await page.getByLabel('Base URL').fill(keyed.url);
  await page.getByRole('button', { name: /test connection/i }).click();
  const form = page.locator('drpo-endpoint-form');
  await expect(form.getByRole('alert')).toContainText('The API key was rejected');
  await expect(form.locator('[data-still-in-use]')).toHaveText(
    `Nothing was changed: Setup still uses scripted-small on ${working.url}.`,
  );
  // The roles still name the working server.
  await page.getByRole('checkbox', { name: /Advanced/ }).check();
  await expect(page.getByLabel('Judge', { exact: true }).locator('option:checked')).toHaveText(
    `${working.url} · scripted-small`,
  );
  // The check chat answers from it.
  const before = chatRequests(working).length;
  await page.getByLabel('Message').first().fill('Hello, who answers?');
  await page.getByRole('button', { name: 'Send' }).first().click();
  await expect(page.getByText(/who answers/).nth(1)).toBeVisible({ timeout: 15_000 });
  expect(chatRequests(working).length).toBeGreaterThan(before);

  // So does a run: it starts on the working server, and the address that failed hears nothing.
  await nav(page, 'Data');
  await expect(page.getByText(/Built-in \(\d+ queries\)/)).toBeVisible();
  await nav(page, 'Run');
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(start).toBeEnabled();
  const atStart = chatRequests(working).length;
  await start.click();
  await expect(page).toHaveURL(/#\/live\/[^/?]+$/);
  await expect.poll(() => chatRequests(working).length, { timeout: 20_000 }).toBeGreaterThan(atStart + 2);
  await expect(page.getByRole('alert').filter({ hasText: /API key/ })).toHaveCount(0);
  expect(chatRequests(keyed)).toEqual([]);
  expect(errors).toEqual([]);
});

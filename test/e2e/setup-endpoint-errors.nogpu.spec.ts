/**
 * Without WebGPU the page starts on the endpoint form: a server that lists no models is said so (not "that
 * model"), the failed test takes a keyboard user to its words, and no WebGPU alert is read out beside them.
 */
import { test, expect } from '@playwright/test';
import { watchErrors } from './helpers';
import { useScriptedServer } from './flow-steps';

const scripted = useScriptedServer();

test('an empty model list is named, focused, and the only alert; once a model is there, it connects', async ({
  page,
}) => {
  const errors = watchErrors(page);
  scripted.server.setModels([]);
  await page.goto('./#/setup');
  await expect(page.getByLabel('OpenAI-compatible endpoint')).toBeChecked();
  await expect(page.locator('drpo-gpu-status')).toContainText('WebGPU is not available here');
  await page.getByLabel('Base URL').fill(scripted.server.url);
  const press = page.getByRole('button', { name: /test connection/i });
  await press.focus();
  await page.keyboard.press('Enter');
  const error = page.locator('drpo-endpoint-form [data-error]');
  await expect(error).toContainText('The server lists no models');
  await expect(error).not.toContainText('that model');
  await expect(error).toBeFocused();
  // The error is the page's one alert: the missing WebGPU concerns only models run in this browser.
  await expect(page.getByRole('alert')).toHaveCount(1);

  scripted.server.setModels(['scripted-small']);
  await press.click();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('scripted-small');
  await expect(error).toHaveCount(0);
  expect(errors).toEqual([]);
});

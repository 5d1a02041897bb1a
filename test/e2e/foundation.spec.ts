/** Issue 2: the static page, the worker, WebGPU detection, endpoint chat, offline WebLLM failure. */
import { test, expect } from '@playwright/test';
import { connectScriptedEndpoint, control, SCRIPTED_V1, watchErrors } from './helpers';
import { startScriptedServer } from '../fixtures/scripted-server';

test.beforeEach(async () => {
  await control({ reset: true, delayMs: 15 });
});

test('loads with no console errors and finds the WebGPU adapter', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(/WebGPU available/i)).toBeVisible();
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
});

test('the main chunk does not contain web-llm; the worker chunk is loaded on demand', async ({ page, request }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  // History needs no model catalog, so the 6 MB web-llm chunk must not be fetched there.
  await page.goto('./#/history');
  await expect(page.getByRole('heading', { name: /history/i }).first()).toBeVisible();
  await page.waitForTimeout(1500);
  const html = await (await request.get('./')).text();
  const entry = [...html.matchAll(/src="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  expect(entry.length).toBeGreaterThan(0);
  for (const file of entry) {
    const js = await (await request.get(`./${file}`)).text();
    expect(js).not.toContain('prebuiltAppConfig');
    expect(js).not.toContain('@mlc-ai/web-llm');
  }
  expect(requested.filter((u) => /\/lib-[^/]+\.js$/.test(u))).toEqual([]);
  // Setup shows the suggested models from page facts (issue 12): still no library chunk.
  await page.getByRole('link', { name: 'Setup' }).first().click();
  await expect(page.getByText(/WebGPU available/i)).toBeVisible();
  await expect(page.getByRole('article', { name: /^Llama 3\.2 1B Instruct/ })).toBeVisible();
  await page.waitForTimeout(1500);
  expect(requested.filter((u) => /\/lib-[^/]+\.js$/.test(u))).toEqual([]);
  // Only probing the catalog in detail (or loading a model) fetches it, once, by the worker.
  await page.getByRole('button', { name: 'Show all models and what is downloaded' }).click();
  await expect.poll(() => requested.filter((u) => /\/lib-[^/]+\.js$/.test(u)).length, { timeout: 20_000 }).toBe(1);
});

test('chat with the scripted endpoint streams a reply, and Stop stops a slow one', async ({ page }) => {
  const errors = watchErrors(page);
  await connectScriptedEndpoint(page);
  const input = page.getByLabel('Message').first();
  await input.fill('Hello there, can you hear me?');
  await page.getByRole('button', { name: 'Send' }).first().click();
  await expect(page.getByText(/Hello there/).nth(1)).toBeVisible({ timeout: 15_000 });

  await control({ delayMs: 10_000 });
  await input.fill('A slow question');
  await page.getByRole('button', { name: 'Send' }).first().click();
  const stop = page.getByRole('button', { name: 'Stop' }).first();
  await expect(stop).toBeVisible();
  await stop.click();
  await expect(page.getByRole('button', { name: 'Send' }).first()).toBeVisible({ timeout: 5_000 });
  await control({ delayMs: 15 });
  // Still usable after stopping.
  await input.fill('Are you still there?');
  await page.getByRole('button', { name: 'Send' }).first().click();
  await expect(page.getByText(/still there/i).nth(1)).toBeVisible({ timeout: 15_000 });
  expect(errors.filter((e) => !/abort|cancel/i.test(e))).toEqual([]);
});

test('endpoint errors are explained in words and the form stays usable', async ({ page }) => {
  await page.goto('./#/setup');
  await page.getByLabel('OpenAI-compatible endpoint').check();
  const url = page.getByLabel('Base URL');
  await url.fill('not a url');
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: /address|URL/i })
      .first(),
  ).toBeVisible();
  // Nothing listens on port 39 (a port fetch allows, which needs root to serve): unreachable.
  await url.fill('http://127.0.0.1:39/v1');
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: /reach|CORS|network/i })
      .first(),
  ).toBeVisible({ timeout: 20_000 });
  // A 401 from the endpoint.
  await control({ faults: { mode: 'http-401' } });
  await url.fill(SCRIPTED_V1);
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: /key|401|auth/i })
      .first(),
  ).toBeVisible({ timeout: 20_000 });
  await control({ reset: true });
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(page.getByLabel('Model', { exact: true })).toBeVisible();
});

test('a WebLLM download while offline fails with a clear message and the page stays usable', async ({
  page,
  context,
}) => {
  await context.route(/huggingface\.co|raw\.githubusercontent\.com|hf\.co/, (route) =>
    route.abort('internetdisconnected'),
  );
  await page.goto('./#/setup');
  await expect(page.getByText(/WebGPU available/i)).toBeVisible();
  await page
    .getByRole('button', { name: /^(download & )?load\b/i })
    .first()
    .click();
  await expect(
    page
      .getByText(/download|offline|network/i)
      .filter({ hasText: /could not|couldn|failed|offline/i })
      .first(),
  ).toBeVisible({
    timeout: 45_000,
  });
  // The rest of the app still works: go to Data and see the built-in set.
  await page.getByRole('link', { name: 'Data' }).first().click();
  await expect(page.getByText(/built-in/i).first()).toBeVisible();
});

test('an endpoint that does not allow cross-origin requests is explained (CORS), with the fix', async ({ page }) => {
  const server = await startScriptedServer({ port: 0, cors: false });
  try {
    await page.goto('./#/setup');
    await page.getByLabel('OpenAI-compatible endpoint').check();
    await page.getByLabel('Base URL').fill(server.url);
    await page.getByRole('button', { name: /test connection/i }).click();
    const alert = page
      .getByRole('alert')
      .filter({ hasText: /CORS|cross-origin/i })
      .first();
    await expect(alert).toBeVisible({ timeout: 20_000 });
    await expect(alert).toContainText(/OLLAMA_ORIGINS|allowed-origins|llama/i);
  } finally {
    await server.close();
  }
});

test('a hand-edited link with a broken escape shows "Page not found", and the studio still works', async ({ page }) => {
  const errors = watchErrors(page);
  for (const hash of ['#/live/%E0%A4%A', '#/result/%']) {
    await page.goto(`./${hash}`);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  }
  // Changed in place too (not only on load), from a working view, and the navigation still leads on.
  await page.evaluate(() => (location.hash = '#/history'));
  await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
  await page.evaluate(() => (location.hash = '#/live/%'));
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Setup' }).click();
  await expect(page.getByText(/WebGPU available/i)).toBeVisible();
  expect(errors).toEqual([]);
});

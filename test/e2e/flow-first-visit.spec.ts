/**
 * Issue 12, as a new user meets it: the first screen explains DRPO and shows model facts; the endpoint and
 * model come back after a reload (never the key unless asked); Run works without a visit to Data; cards
 * state levels, minutes and cost; the live view names its numbers, shows time left, running cost and progress
 * in the tab title; Result and Live open the latest run; the keyboard path; data files with bad lines; toasts
 * that stay clear of fields.
 */
import { test, expect, type Page } from '@playwright/test';
import { PRESETS } from '../../src/core/plan/presets';
import { watchErrors } from './helpers';
import { nav, useScriptedServer, waitForStatus } from './flow-steps';

const scripted = useScriptedServer();

/** The focused element, through shadow roots: its tag and text. */
function focused(page: Page): Promise<{ tag: string; text: string }> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', text: (el?.textContent ?? '').trim() };
  });
}

/** A setting as the page stored it (JSON), read straight from IndexedDB. */
function readSetting(page: Page, key: string): Promise<string | undefined> {
  return page.evaluate(
    (k) =>
      new Promise<string | undefined>((resolve, reject) => {
        const open = indexedDB.open('drpo-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('settings').objectStore('settings').get(k);
          get.onsuccess = () => resolve(JSON.stringify(get.result));
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

async function connect(page: Page, opts: { key?: string; price?: [string, string] } = {}): Promise<void> {
  await page.getByLabel('OpenAI-compatible endpoint').check();
  await page.getByLabel('Base URL').fill(scripted.server.url);
  if (opts.key) await page.getByLabel(/API key/).fill(opts.key);
  if (opts.price) {
    await page.getByLabel('Input', { exact: true }).fill(opts.price[0]);
    await page.getByLabel('Output', { exact: true }).fill(opts.price[1]);
  }
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(page.getByLabel('Model', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.locator('drpo-endpoint-form [data-speed="done"]')).toContainText(
    /Measured: [\d,]+(\.\d)? tokens\/s/,
  );
}

test('first visit: what it does, model facts, a remembered endpoint (its key asked for again), Run ready', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const libRequests: string[] = [];
  page.on('request', (r) => {
    if (/\/lib-[^/]+\.js$/.test(r.url())) libRequests.push(r.url());
  });
  await page.goto('./#/setup');
  const setup = page.locator('drpo-setup-view');
  await expect(setup.getByRole('heading', { name: 'What this does' })).toBeVisible();
  await expect(setup.locator('ol.steps > li')).toHaveCount(4);
  const card = setup.getByRole('article', { name: /^Llama 3\.2 1B Instruct/ });
  await expect(card.getByRole('heading', { name: 'Llama 3.2 1B Instruct' })).toBeVisible();
  await expect(card).toContainText(/Download\s*≈ \d+ MB/);
  await expect(card).toContainText(/GPU memory\s*[\d.]+ (MB|GB)/);
  await expect(card.locator('[data-speed]')).not.toBeEmpty();
  await expect(setup).not.toContainText('low resource');

  await connect(page, { key: 'sk-test-not-remembered', price: ['1', '2'] });
  // A larger judge on the same endpoint: a reload must keep it (else the next run is self-judged unawares).
  await page.getByRole('checkbox', { name: /Advanced/ }).check();
  await page.getByLabel('Judge', { exact: true }).selectOption({ label: `${scripted.server.url} · scripted-judge` });
  // Straight to Run: the built-in data is already chosen.
  await nav(page, 'Run');
  const run = page.locator('drpo-run-view');
  await run.getByLabel('Starting prompt').fill('You are a careful assistant.');
  await expect(run.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  await expect(run).toContainText('Built-in training set');
  const quick = run.locator('drpo-preset-card').first();
  const q = PRESETS.quick.settings;
  await expect(quick.locator('[data-levels]')).toHaveText(
    `${q.depth} levels, up to ${q.depth + q.maxDepthExtension} with extensions`,
  );
  // Minutes (or seconds) for an endpoint, from the measured speed, and a cost at the given prices.
  await expect(quick.locator('[data-time]')).toHaveText(/~\d+ (s|min)\b.* at [\d,]+(\.\d)? tokens\/s/);
  await expect(quick.locator('[data-cost]')).toHaveText(/^≈ \$[\d.]+ at your prices$/);

  // A new session: endpoint and model are back, the key is not (it was not to be remembered). Run says so
  // instead of starting a run that would fail on its first call.
  // The page writes the prompt once typing pauses; a user does not reload within that pause.
  await expect.poll(async () => (await readSetting(page, 'lastSetup')) ?? '').toContain('You are a careful assistant.');
  await page.reload();
  await expect(run.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await expect(run.locator('#start-why')).toContainText(/Enter the API key for .* again on the Setup page/);
  await nav(page, 'Setup');
  await expect(page.getByLabel('OpenAI-compatible endpoint')).toBeChecked();
  await expect(page.getByLabel('Base URL')).toHaveValue(scripted.server.url);
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('scripted-small');
  await expect(page.getByLabel(/API key/)).toHaveValue('');
  await expect(page.locator('drpo-endpoint-form [data-key-wanted]')).toContainText(
    'enter the key and press Test connection',
  );
  await expect(page.getByLabel('Input', { exact: true })).toHaveValue('1');
  // The judge, the policy and the starting prompt came back too.
  await expect(page.getByLabel('Judge', { exact: true }).locator('option:checked')).toHaveText(/· scripted-judge$/);
  await expect(page.getByLabel('Policy (the model being aligned)').locator('option:checked')).toHaveText(
    /· scripted-small$/,
  );
  await nav(page, 'Run');
  await expect(run.getByLabel('Starting prompt')).toHaveValue('You are a careful assistant.');
  await nav(page, 'Setup');
  const stored = await readSetting(page, 'endpoints');
  expect(stored).toContain('scripted-small');
  expect(stored).not.toContain('sk-test');
  expect(stored).toContain('"keyNotRemembered":true');
  // The key typed again: Run is ready.
  await connect(page, { key: 'sk-test-not-remembered' });
  await nav(page, 'Run');
  await expect(run.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  // Endpoint mode never needed the WebLLM package.
  expect(libRequests).toEqual([]);
  expect(errors).toEqual([]);
});

test('a run: named numbers, time left, running cost, progress in the title; latest run after a reload; keyboard', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('./#/setup');
  await connect(page, { price: ['0.5', '1.5'] });
  await nav(page, 'Run');
  await page.getByText('Advanced settings and budget').click();
  const depth = page.getByLabel('Depth', { exact: true });
  await depth.fill('3');
  await depth.press('Tab');
  await page.getByLabel('Run name (optional)').fill('Watched run');
  scripted.server.setDelay(80);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/#\/live\//);

  const status = page.getByRole('region', { name: 'Run status' });
  await expect.poll(() => page.title(), { timeout: 20_000 }).toMatch(/^\d+% · DRPO Studio$/);
  await expect(status.locator('[data-level]')).toHaveText(/level \d+ of \d+ \(up to \d+ with extensions\)/, {
    timeout: 20_000,
  });
  await expect(status.locator('[data-best]')).toContainText(/path mean \d\.\d\d \(best so far\)/);
  await expect(status.locator('drpo-throughput')).toContainText(/Time left \(estimate\)\s*\d/);
  await expect(status.locator('drpo-throughput [data-cost]')).toContainText(/Cost so far\s*\$\d/);
  // The info button explains the term in words, and Escape closes it.
  const info = status.getByRole('button', { name: 'What is “path mean”?' });
  await info.click();
  await expect(status.getByRole('tooltip')).toContainText('mean of the scores along a prompt’s path');
  await info.press('Escape');
  await expect(status.getByRole('tooltip')).toHaveCount(0);
  scripted.server.setDelay(15);
  await waitForStatus(page, /^Finished$/, 60_000);
  await expect.poll(() => page.title()).toBe('Finished · DRPO Studio');

  // A new session: Result and Live open the latest run instead of "no run selected".
  await page.goto('./#/result');
  await page.reload();
  await expect(page.locator('drpo-result-view h2')).toHaveText('Watched run');
  await expect(page.locator('drpo-result-view [data-saved]')).toContainText('Saved as “Watched run”');
  await nav(page, 'Live');
  await expect(page.getByRole('region', { name: 'Run status' }).locator('h2')).toHaveText('Watched run');
  // The run's last word gave way to the view's own title.
  await expect(page).toHaveTitle('Live · DRPO Studio');

  // Keyboard: the first Tab reaches the skip link, which lands on the view's heading; a view change does too.
  await page.goto('./#/setup');
  await page.reload();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toEqual({ tag: 'a', text: 'Skip to content' });
  await page.keyboard.press('Enter');
  expect(await focused(page)).toEqual({ tag: 'h2', text: 'Setup' });
  await nav(page, 'Data');
  await expect.poll(() => focused(page)).toEqual({ tag: 'h2', text: 'Training data' });
  expect(errors).toEqual([]);
});

test('data: a file with bad lines imports the good ones and lists the rest; saved once; toasts clear of fields', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./#/data');
  const data = page.locator('drpo-data-view');
  await data.getByLabel('Upload your own').check();
  const file = [
    '{"query":"What is a prime number?"}',
    '{"query": oops}',
    '{"query":"Why is the sea salty?"}',
    '{"text":"no query"}',
    '{"query":"How do tides work?"}',
  ].join('\n');
  const upload = { name: 'mixed.jsonl', mimeType: 'application/json', buffer: Buffer.from(file) };
  await data.locator('#file').setInputFiles(upload);
  await expect(data.locator('[data-report]')).toContainText(
    'mixed.jsonl: kept 3 of 5 queries; skipped 2 unreadable lines.',
  );
  const skipped = data.locator('[data-skipped]');
  await expect(skipped).toContainText('Skipped these lines');
  await expect(skipped.locator('li').nth(0)).toHaveText(/^Line 2: is not valid JSON/);
  await expect(skipped.locator('li').nth(1)).toHaveText(/^Line 4: has no "query" text/);
  await expect(data.locator('[data-chosen]')).toContainText('mixed.jsonl');
  await data.getByRole('button', { name: 'Save on this device' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved “mixed.jsonl” on this device' })).toBeVisible();
  await data.locator('#file').setInputFiles({ ...upload, name: 'mixed-again.jsonl' });
  await data.getByRole('button', { name: 'Save on this device' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'already saved as “mixed.jsonl”' })).toBeVisible();
  await expect(data.getByLabel(/Saved \(1\)/)).toBeVisible();

  // A toast never covers a field: with the setup chat's input at the bottom of the window, it goes elsewhere.
  await page.setViewportSize({ width: 1280, height: 640 });
  await page.goto('./#/setup');
  await connect(page);
  const input = page.locator('drpo-setup-view drpo-chat-pane textarea');
  await input.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.getByRole('button', { name: 'Use this model' }).click();
  const toast = page.locator('drpo-toast .toast').last();
  await expect(toast).toBeVisible();
  const overlap = await page.evaluate(() => {
    const rects: DOMRect[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches('input:not([type=hidden]), textarea, select')) rects.push(el.getBoundingClientRect());
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const t = document.querySelector('drpo-app')!.shadowRoot!.querySelector('drpo-toast')!.getBoundingClientRect();
    return rects.filter(
      (r) => r.width > 1 && r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom,
    ).length;
  });
  expect(overlap).toBe(0);
  expect(errors).toEqual([]);
});

/** Shared e2e helpers: console-error capture, the scripted endpoint, connecting to it from Setup, axe checks. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { e2eWorkers, scriptedPort } from './workers';

/**
 * The shared scripted endpoint of this Playwright worker: one per worker (4174, 4175, … started by the config), so a
 * spec that steers its faults or counts its requests is never disturbed by a spec running beside it.
 */
export const SCRIPTED_PORT = scriptedPort(Number(process.env.TEST_PARALLEL_INDEX ?? 0), e2eWorkers());
export const SCRIPTED = `http://127.0.0.1:${SCRIPTED_PORT}`;
export const SCRIPTED_V1 = `${SCRIPTED}/v1`;

/** Collects console errors and page errors; network failures we provoke on purpose are filtered by the caller. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export async function control(body: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${SCRIPTED}/__control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`control failed: ${r.status}`);
}

export async function requestCount(path = '/v1/chat/completions'): Promise<number> {
  const r = (await (await fetch(`${SCRIPTED}/__requests`)).json()) as { requests: { path: string }[] };
  return r.requests.filter((q) => q.path === path).length;
}

/** Setup → OpenAI-compatible endpoint → test connection → pick the first model → use it for every role. */
export async function connectScriptedEndpoint(
  page: Page,
  baseUrl = SCRIPTED_V1,
  opts: { parallel?: number; outageS?: number } = {},
): Promise<void> {
  await page.goto('./#/setup');
  await page.getByLabel('OpenAI-compatible endpoint').check();
  await page.getByLabel('Base URL').fill(baseUrl);
  if (opts.parallel !== undefined) await page.getByLabel('Parallel requests').fill(String(opts.parallel));
  if (opts.outageS !== undefined) {
    await page.getByText('Connection settings').click();
    await page.getByLabel('Outage wait (seconds)').fill(String(opts.outageS));
  }
  await page.getByRole('button', { name: /test connection/i }).click();
  await expect(page.getByLabel('Model', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Use this model' }).click();
}

/** No serious or critical axe-core violation on the page as it is (open shadow roots included). */
export async function expectAccessible(page: Page, view: string): Promise<void> {
  // Let transitions and late renders settle so axe sees the final colours.
  await page.waitForTimeout(300);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      view,
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} :: ${n.failureSummary?.split('\n')[1] ?? ''}`),
    }));
  expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
}

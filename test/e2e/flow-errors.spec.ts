/**
 * Issue 5: an endpoint failure mid-run is explained in words, nothing stored is lost, and the run resumes to the
 * end. A short outage is no failure: the run waits for the endpoint, says so, and goes on by itself.
 */
import { test, expect, type Page } from '@playwright/test';
import { watchErrors } from './helpers';
import { nodeCount, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';

const scripted = useScriptedServer();

/** Samples the node list every 100 ms; `stop()` returns every count seen, in order. */
function watchNodeCount(page: Page): { stop: () => number[] } {
  const seen: number[] = [];
  let on = true;
  void (async () => {
    while (on) {
      seen.push(await nodeCount(page).catch(() => -1));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: () => {
      on = false;
      return seen.filter((n) => n >= 0);
    },
  };
}

const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!);

for (const fault of [
  { mode: 'http-401', words: /API key was rejected/, button: 'Resume' },
  // It answered before, so it is an outage that outlasted its wait, not a server never reached.
  {
    mode: 'down',
    words: /The endpoint stopped answering and did not come back within 1 s/,
    button: /^(Retry|Resume)$/,
  },
] as const) {
  test(`a ${fault.mode} mid-run stops the run with words; after the fix it resumes and finishes`, async ({ page }) => {
    test.setTimeout(90_000);
    const errors = watchErrors(page);
    scripted.server.setDelay(100);
    // One request at a time at 100 ms each: the fault surely lands mid-run, not after the end. A server that
    // stays down is waited for 1 s here (the outage wait), then the run stops.
    await startTinyRun(page, scripted.server, { depth: 3, parallel: 1, outageS: 1 });
    await expect.poll(() => nodeCount(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const counts = watchNodeCount(page);
    scripted.server.setFaults({ mode: fault.mode });
    await waitForStatus(page, /^Stopped by an error$/, 45_000);
    const alert = page.getByRole('alert').filter({ has: page.getByRole('button', { name: fault.button }) });
    await expect(alert).toContainText(fault.words);
    await expect(alert).toContainText('finished work is kept');
    const atError = await nodeCount(page);
    expect(atError).toBeGreaterThanOrEqual(2);

    // Everything shown is stored: a reload shows the same prompts, and the run can still be resumed.
    await page.reload();
    await expect(page.getByRole('button', { name: fault.button }).first()).toBeVisible({ timeout: 15_000 });
    expect(await nodeCount(page)).toBe(atError);
    await expect(page.getByRole('alert').first()).toContainText(fault.words);

    scripted.server.setFaults(null);
    scripted.server.setDelay(15);
    await page.getByRole('button', { name: fault.button }).first().click();
    await expect(page.getByRole('region', { name: 'Run status' }).locator('.status')).not.toHaveText(/error/);
    await waitForStatus(page, /^Finished$/, 45_000);
    const end = await nodeCount(page);
    const seen = counts.stop();
    expect(end).toBeGreaterThan(atError);
    expect(nonDecreasing(seen.filter((n) => n > 0))).toBe(true);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'See the result' })).toBeVisible();
    // The provoked failures show up as failed requests in the console; nothing else may.
    expect(errors.filter((e) => !/401|Unauthorized|Failed to fetch|ERR_|net::|NetworkError|abort/i.test(e))).toEqual(
      [],
    );
  });
}

test('a short outage mid-run is waited out and said in the live view; the run then finishes by itself', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const errors = watchErrors(page);
  scripted.server.setDelay(100);
  await startTinyRun(page, scripted.server, { depth: 2, parallel: 1 });
  await expect.poll(() => nodeCount(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  scripted.server.setFaults({ mode: 'down' });
  await expect(page.locator('[data-waiting]')).toHaveText(
    /^Waiting: the endpoint (went down|has been down for [\d.]+ s) \(network\); it gets up to 1 min to come back \(retry \d+, next (now|in [\d.]+ s)\)\.$/,
    { timeout: 15_000 },
  );
  scripted.server.setFaults(null);
  scripted.server.setDelay(15);
  await waitForStatus(page, /^Finished$/, 45_000);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(errors.filter((e) => !/Failed to fetch|ERR_|net::|NetworkError/i.test(e))).toEqual([]);
});

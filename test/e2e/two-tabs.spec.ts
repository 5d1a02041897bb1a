/**
 * Issue 11 (1): one run, one driver. Two tabs of one browser profile (one Playwright context: shared
 * IndexedDB, real Web Locks and BroadcastChannel) on the same run: the second tab is offered no Resume,
 * follows the run read-only, and the endpoint sees the requests of one run; once the driving tab is
 * closed the other takes over. With DRPO_BENCH_OUT set, the measured request counts are written there
 * (`npm run bench` reports them).
 */
import { writeFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { watchErrors } from './helpers';
import { chatRequests, nodeCount, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';

const DEPTH = 3;
const scripted = useScriptedServer();

/** Runs a tiny run alone and returns how many chat requests it took. */
async function singleTabRequests(page: Page): Promise<number> {
  let from = 0;
  await startTinyRun(page, scripted.server, {
    depth: DEPTH,
    beforeStart: async () => void (from = chatRequests(scripted.server).length),
  });
  await waitForStatus(page, /^Finished$/, 45_000);
  return chatRequests(scripted.server).length - from;
}

test('a second tab follows the run read-only and adds no requests', async ({ browser }) => {
  test.setTimeout(150_000);
  const refContext = await browser.newContext();
  const single = await singleTabRequests(await refContext.newPage());
  await refContext.close();

  const context = await browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  const errors = [...watchErrors(a), ...watchErrors(b)];
  let from = 0;
  // The tab in front gets full-speed timers (Chromium slows a hidden tab's); each tab acts while in front.
  await a.bringToFront();
  const runId = await startTinyRun(a, scripted.server, {
    depth: DEPTH,
    name: 'Shared run',
    beforeStart: async () => {
      from = chatRequests(scripted.server).length;
      // Slow from the start, so the run cannot end before the second tab joins (the answers do not depend on it).
      scripted.server.setDelay(150);
    },
  });
  await expect.poll(() => nodeCount(a), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);

  // Tab B: the unfinished-runs banner says another tab runs it, offers to follow it, never to resume it.
  await b.bringToFront();
  await b.goto('./#/history');
  const banner = b.getByRole('region', { name: 'Unfinished runs' });
  await expect(banner.locator('[data-owner="elsewhere"]')).toContainText('Shared run');
  await expect(banner.locator('[data-owner="elsewhere"]')).toContainText('Running in another tab');
  await expect(banner.getByRole('link', { name: 'Resume' })).toHaveCount(0);
  await expect(banner.getByRole('link', { name: 'Follow' })).toHaveAttribute('href', `#/live/${runId}`);
  // The History table agrees with the banner: the row offers Follow, not Resume.
  const row = b.locator(`tr[data-run="${runId}"]`);
  await expect(row.locator('[data-owner="elsewhere"]')).toContainText('Running in another tab');
  await expect(row.getByRole('link', { name: 'Resume' })).toHaveCount(0);
  await expect(row.getByRole('link', { name: 'Follow' })).toHaveAttribute('href', `#/live/${runId}`);

  // Following the banner's Resume link by hand: B says who drives the run and only follows it.
  await b.goto(`./#/live/${runId}?resume=1`);
  const owned = b.getByRole('region', { name: 'Run status' }).locator('[data-owner="elsewhere"]');
  await expect(owned).toContainText('running in another tab');
  const status = b.getByRole('region', { name: 'Run status' });
  await expect(status.getByRole('button', { name: /Resume|Start|Pause|Cancel/ })).toHaveCount(0);
  const seenAtJoin = await nodeCount(b);
  await expect.poll(() => nodeCount(b), { timeout: 30_000 }).toBeGreaterThan(seenAtJoin);

  await waitForStatus(a, /^Finished$/, 60_000);
  await waitForStatus(b, /^Finished$/, 15_000);
  await expect(owned).toHaveCount(0);
  expect(await nodeCount(b)).toBe(await nodeCount(a));
  const twoTabs = chatRequests(scripted.server).length - from;
  await context.close();

  expect(twoTabs).toBeLessThanOrEqual(single * 1.05);
  expect(errors.filter((e) => !/abort|cancel/i.test(e))).toEqual([]);
  if (process.env.DRPO_BENCH_OUT) {
    writeFileSync(process.env.DRPO_BENCH_OUT, JSON.stringify({ single, twoTabs, ratio: twoTabs / single }));
  }
});

test('closing the driving tab lets the follower take over', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  await a.bringToFront();
  const runId = await startTinyRun(a, scripted.server, {
    depth: DEPTH,
    // Slow from the start, so the run is still going when the first tab closes.
    beforeStart: async () => scripted.server.setDelay(150),
  });
  await expect.poll(() => nodeCount(a), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await b.bringToFront();
  await b.goto(`./#/live/${runId}`);
  const status = b.getByRole('region', { name: 'Run status' });
  await expect(status.locator('[data-owner="elsewhere"]')).toBeVisible();

  await a.close();
  // The lock is free: the run was interrupted, and B may resume it.
  await expect(status.locator('[data-owner="elsewhere"]')).toHaveCount(0, { timeout: 10_000 });
  scripted.server.setDelay(15);
  await status.getByRole('button', { name: 'Resume' }).click();
  await waitForStatus(b, /^Finished$/, 45_000);
  expect(await nodeCount(b)).toBeGreaterThanOrEqual(4);
  await context.close();
});

/** Issue 5: a run interrupted by a reload resumes from its checkpoint and repeats (almost) no model calls. */
import { test, expect, type Page } from '@playwright/test';
import { control, watchErrors } from './helpers';
import { chatRequests, judgeNamesAskedAspects, nodeCount, startTinyRun, waitForStatus } from './flow-steps';
import type { RecordedChat } from './flow-steps';

const DEPTH = 3;

test.beforeEach(async () => {
  await control({ reset: true, delayMs: 15 });
});

/** Chat requests made since `from` (the server's list only grows until the next reset). */
async function callsSince(from: number): Promise<RecordedChat[]> {
  return (await chatRequests()).slice(from);
}

async function finishedNodes(page: Page): Promise<number> {
  await waitForStatus(page, /^Finished$/, 45_000);
  return nodeCount(page);
}

test('reload mid-run, Resume: same nodes as an uninterrupted run, no repeated calls', async ({ browser }) => {
  test.setTimeout(120_000);
  // 1) The reference: the same config (same default seed) run without interruption, in its own context.
  const refContext = await browser.newContext();
  await judgeNamesAskedAspects(refContext);
  const ref = await refContext.newPage();
  let from = 0;
  await startTinyRun(ref, { depth: DEPTH, beforeStart: async () => void (from = (await chatRequests()).length) });
  const refNodes = await finishedNodes(ref);
  const refCalls = await callsSince(from);
  await refContext.close();
  expect(refNodes).toBeGreaterThanOrEqual(4);

  // 2) The same run, interrupted by a reload after ≥ 2 nodes, then resumed.
  const context = await browser.newContext();
  await judgeNamesAskedAspects(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await control({ delayMs: 120 }); // slow enough to reload mid-run; answers do not depend on the delay
  await startTinyRun(page, { depth: DEPTH, beforeStart: async () => void (from = (await chatRequests()).length) });
  await expect.poll(() => nodeCount(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await page.reload();
  const beforeResume = (await chatRequests()).length;
  await expect(page.getByRole('note').filter({ hasText: /interrupted/ })).toBeVisible({ timeout: 15_000 });
  const kept = await nodeCount(page);
  expect(kept).toBeGreaterThanOrEqual(2);
  await control({ delayMs: 15 });
  await page.getByRole('button', { name: 'Resume' }).first().click();
  const resumedNodes = await finishedNodes(page);
  const calls = await callsSince(from);
  await context.close();

  expect(resumedNodes).toBe(refNodes);
  // A request body determines the answer, so a body sent twice is a repeated call.
  const seen = new Set<string>();
  let repeated = 0;
  for (const c of calls) {
    const key = JSON.stringify(c.body);
    if (seen.has(key)) repeated++;
    seen.add(key);
  }
  const inFlightWindow = (await Promise.resolve(beforeResume)) - from;
  console.log({ refCalls: refCalls.length, calls: calls.length, repeated, kept, inFlightWindow, refNodes });
  expect(calls.length).toBeLessThanOrEqual(refCalls.length + repeated);
  expect(errors.filter((e) => !/abort|cancel/i.test(e))).toEqual([]);
});

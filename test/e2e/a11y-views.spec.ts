/**
 * Issue 6: every view passes axe-core with no serious or critical violation — setup (endpoint connected),
 * data, run, live (a run in progress and a finished one), result, playground (with an answer), evaluate,
 * history (with a run and an alignment) and the share preview. Axe reads open shadow roots, so the Lit
 * components are checked from inside.
 */
import { test, expect } from '@playwright/test';
import { expectAccessible } from './helpers';
import { encodeAlignmentLink } from '../../src/core/formats/link-codec';
import { nav, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';
import { sampleArtifact } from '../support/artifacts';

const scripted = useScriptedServer();

test('setup, data, run, live, result, playground, evaluate and history have no serious violations', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./#/setup');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page, 'setup (first visit)');

  // A slow endpoint first, so the live view can be checked while the run is going.
  scripted.server.setDelay(250);
  const runId = await startTinyRun(page, scripted.server, { depth: 2, name: 'A11y run' });
  await waitForStatus(page, /^Running$/);
  await expect(page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').first()).toBeVisible({
    timeout: 30_000,
  });
  await expectAccessible(page, 'live (running)');
  scripted.server.setDelay(15);
  await waitForStatus(page, /^Finished$/, 60_000);
  await page
    .getByRole('button', { name: /^Depth 1, score/ })
    .first()
    .click();
  await expect(page.getByRole('article', { name: 'Prompt at depth 1' })).toBeVisible();
  await expectAccessible(page, 'live (finished, node selected)');

  await page.getByRole('link', { name: 'See the result' }).click();
  await expect(page).toHaveURL(new RegExp(`#/result/${runId}$`));
  await expect(page.locator('drpo-result-view pre.prompt').first()).toBeVisible();
  await expectAccessible(page, 'result');

  for (const [label, view] of [
    ['Setup', 'setup (connected)'],
    ['Data', 'data'],
    ['Run', 'run'],
  ] as const) {
    await nav(page, label);
    await page.waitForTimeout(200);
    await expectAccessible(page, view);
  }
  await page.getByText('Advanced settings and budget').click();
  await expectAccessible(page, 'run (advanced settings open)');

  await nav(page, 'Playground');
  const playground = page.locator('drpo-playground-view');
  await playground.getByLabel('Message for both').fill('What is a good way to learn a language?');
  await playground.getByRole('button', { name: 'Send to both' }).click();
  await expect(playground.getByRole('button', { name: 'Send to both' })).toBeVisible({ timeout: 20_000 });
  await expectAccessible(page, 'playground (with answers)');

  await nav(page, 'Evaluate');
  await expectAccessible(page, 'evaluate');

  await nav(page, 'History');
  await expect(page.locator('drpo-history-view')).toContainText('A11y run');
  await expectAccessible(page, 'history');

  // Phone width: narrow layouts must not hide content in unreachable scroll areas.
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page, 'history (375 px)');
  await page.evaluate((id) => (location.hash = `#/live/${encodeURIComponent(id)}`), runId);
  await expect(page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').first()).toBeVisible();
  await expectAccessible(page, 'live (375 px)');
  // Issue 12's new surfaces at phone width: the result with its exports, setup's first screen, evaluate.
  await page.evaluate((id) => (location.hash = `#/result/${encodeURIComponent(id)}`), runId);
  await expect(page.locator('drpo-result-view drpo-use-it pre[data-export]')).toBeVisible();
  await expectAccessible(page, 'result with exports (375 px)');
  await nav(page, 'Setup');
  await expectAccessible(page, 'setup (375 px)');
  await nav(page, 'Evaluate');
  await expectAccessible(page, 'evaluate (375 px)');
});

const SHARED = sampleArtifact({
  systemPrompt: 'You are a helpful assistant.\n- Answer the question first, then explain.',
  icl: [{ query: 'What is 2 + 2?', answer: 'It is **4**.' }],
  name: 'Shared alignment for axe',
});

test('the share preview and an invalid link have no serious violations', async ({ page }) => {
  const { fragment } = await encodeAlignmentLink(SHARED);
  await page.goto(`./#${fragment}`);
  await expect(page.locator('drpo-share-preview [data-state="ok"]')).toBeVisible();
  await expectAccessible(page, 'share preview');
  await page.locator('drpo-share-preview [data-examples] summary').click();
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page, 'share preview, examples open (375 px)');
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto('./#a=not-a-valid-payload');
  await page.reload();
  await expect(page.locator('drpo-share-preview [data-state="invalid"]')).toBeVisible();
  await expectAccessible(page, 'share preview (invalid link)');

  await page.goto('./#/no-such-view');
  await page.reload();
  await expectAccessible(page, 'not found');
});

test.describe('dark colour scheme', () => {
  test.use({ colorScheme: 'dark' });

  test('the main views have no serious violations in dark mode', async ({ page }) => {
    await page.goto('./#/setup');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page, 'setup (dark)');
    for (const label of ['Data', 'Run', 'Playground', 'Evaluate', 'History']) {
      await nav(page, label);
      await page.waitForTimeout(200);
      await expectAccessible(page, `${label.toLowerCase()} (dark)`);
    }
    // A shared alignment with its exports, dark.
    const { fragment } = await encodeAlignmentLink(SHARED);
    await page.goto(`./#${fragment}`);
    await expect(page.locator('drpo-share-preview drpo-use-it pre[data-export]')).toBeVisible();
    await expectAccessible(page, 'share preview with exports (dark)');

    // A live run with an info popover open (issue 12), dark: a slow endpoint (a second a request, so the run is
    // surely still going when its first best shows) that then stops answering keeps the run going meanwhile.
    test.setTimeout(90_000);
    scripted.server.setDelay(1000);
    try {
      await startTinyRun(page, scripted.server, { depth: 2, name: 'Dark run' });
      const status = page.getByRole('region', { name: 'Run status' });
      await expect(status.locator('[data-best]')).toContainText(/path mean \d\.\d\d \(best so far\)/, {
        timeout: 30_000,
      });
      // A finished run's header says what its final check decided instead of its best so far (the popover would
      // go with it): the endpoint stops answering, so the run is still going while the popover is checked.
      scripted.server.setFaults({ mode: 'timeout' });
      await status.getByRole('button', { name: 'What is “path mean”?' }).click();
      await expect(status.getByRole('tooltip')).toContainText('mean of the scores along a prompt’s path');
      await expectAccessible(page, 'live (running, info popover open, dark)');
      await expect(status.getByRole('tooltip')).toBeVisible();
    } finally {
      scripted.server.setFaults(null);
      scripted.server.setDelay(15);
    }
  });
});

/**
 * Issue 10: one planner for a run. The page and `drpo optimize` given the same data (the built-in set),
 * seed (the default), preset (quick, its own held-out count) and starting prompt, against the same scripted
 * endpoint, build the same run: the same split, query order and example pool, so the same search and the
 * same final prompt, and projected alike (the Run card, Live and the CLI: the same calls). The CLI runs
 * in-process (src/cli/drpo.ts), the page in Chromium.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { runCli } from '../../src/cli/drpo';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import { captureIo } from '../support/cli-io';
import { connectScriptedEndpoint, watchErrors } from './helpers';
import { nav, useScriptedServer, waitForStatus } from './flow-steps';

const scripted = useScriptedServer();
const START = 'You are a kind assistant. Say so when you are unsure.';

/** What makes two runs the same search: everything but the time and the label. */
function searchOf(a: AlignmentArtifact) {
  return {
    systemPrompt: a.systemPrompt,
    icl: a.icl,
    examplesPerQuery: a.examplesPerQuery,
    outcome: a.outcome,
    initialPrompt: a.initialPrompt,
    scores: a.scores,
    lineage: a.lineage,
    settings: a.settings,
    model: a.model,
    judge: a.judge,
  };
}

test('a page run and a CLI run with the same inputs give the same alignment', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const server = scripted.server;

  // The page: Setup (the scripted endpoint for every role) → Data (built-in, as chosen at start) → Run (quick).
  await connectScriptedEndpoint(page, server.url);
  await nav(page, 'Data');
  await expect(page.locator('[data-chosen]').first()).toContainText('Built-in training set');
  await nav(page, 'Run');
  await page.getByLabel('Starting prompt').fill(START);
  // The calls the Quick card projects (read once the prompt's length is in), as the run projects itself on Live.
  const quickCard = page.locator('drpo-preset-card').first();
  await expect(quickCard.locator('[data-calls]')).toHaveText(/^~\d+$/);
  const onCard = (await quickCard.locator('[data-calls]').textContent())!.trim();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/#\/live\/[^/?]+$/);
  await waitForStatus(page, /^Finished$/, 90_000);
  await expect(page.locator('drpo-throughput [data-calls]')).toContainText(`/ ${onCard}`);
  await page.getByRole('link', { name: 'See the result' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  const fromPage = JSON.parse(await readFile((await download.path())!, 'utf8')) as AlignmentArtifact;
  const model = fromPage.model.id;

  // The CLI: the same endpoint, model, preset (default quick), seed (default) and starting prompt.
  server.reset();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'drpo-same-run-'));
  try {
    const io = captureIo(dir);
    const out = path.join(dir, 'alignment.json');
    const code = await runCli(
      ['optimize', '--base-url', server.url, '--model', model, '--initial-prompt', START, '--out', out],
      io,
    );
    expect(code, io.err()).toBe(0);
    // The CLI projects the same run as the page did, before and during it.
    expect(io.err()).toContain(`Projected: about ${onCard.slice(1)} model calls`);
    const fromCli = JSON.parse(await readFile(out, 'utf8')) as AlignmentArtifact;
    expect(fromCli.lineage.length).toBeGreaterThan(1);
    expect(searchOf(fromCli)).toEqual(searchOf(fromPage));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(errors).toEqual([]);
});

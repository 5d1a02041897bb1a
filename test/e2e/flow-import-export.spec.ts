/** Issue 4: alignment and run files round-trip through export/import; bad files are refused in words and store nothing. */
import { readFile } from 'node:fs/promises';
import { test, expect, type Download, type Page } from '@playwright/test';
import { watchErrors } from './helpers';
import { nav, startTinyRun, useScriptedServer, waitForStatus } from './flow-steps';

const scripted = useScriptedServer();

async function text(download: Download): Promise<string> {
  return readFile((await download.path())!, 'utf8');
}

async function importFile(page: Page, name: string, content: string): Promise<void> {
  await page.locator('#import').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

async function expectNothingStored(page: Page): Promise<void> {
  await expect(page.locator('[data-empty="runs"]')).toBeVisible();
  await expect(page.locator('[data-empty="alignments"]')).toBeVisible();
}

test('export an alignment and a run, import both in a fresh browser; bad files are refused clearly', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const runId = await startTinyRun(page, scripted.server, { depth: 2, name: 'Export me' });
  await waitForStatus(page, /^Finished$/);
  await page.getByRole('link', { name: 'See the result' }).click();
  const prompt = ((await page.locator('drpo-result-view pre.prompt').first().textContent()) ?? '').trim();
  expect(prompt.length).toBeGreaterThan(10);
  const [alignmentDl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  const alignmentText = await text(alignmentDl);
  await nav(page, 'History');
  const [runDl] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`tr[data-run="${runId}"]`).getByRole('button', { name: 'Export' }).click(),
  ]);
  const runText = await text(runDl);
  expect(runText).not.toMatch(/apiKey/i);
  const runJson = JSON.parse(runText) as { format: string; version: number; nodes: unknown[] };
  expect(runJson.format).toBe('drpo-run-export');
  expect(runJson.nodes.length).toBeGreaterThanOrEqual(3);

  // A fresh browser (empty storage).
  const other = await browser.newContext();
  const fresh = await other.newPage();
  const errors = watchErrors(fresh);
  await fresh.goto('./#/history');
  await expectNothingStored(fresh);
  const message = fresh.locator('[data-import]');

  // Bad files: each refused with words naming the file and the problem; nothing is stored.
  const alignment = JSON.parse(alignmentText) as Record<string, unknown>;
  const bad: [string, string, RegExp][] = [
    ['notes.json', 'this is { not json', /notes\.json.*not JSON/s],
    ['other.json', JSON.stringify({ format: 'something-else', version: 1 }), /other\.json.*format.*drpo-alignment/s],
    // ({"query": "answer"} string maps are the official examples format, so this one has a number in it.)
    ['plain.json', JSON.stringify({ hello: 'world', count: 3 }), /plain\.json.*neither a DRPO Studio alignment/s],
    ['future.json', JSON.stringify({ ...alignment, version: 2 }), /future\.json.*version 2/s],
    ['old.json', JSON.stringify({ ...alignment, version: 0 }), /old\.json.*version: must be 1/s],
    ['run-v9.json', JSON.stringify({ ...runJson, version: 9 }), /run-v9\.json.*version 9 is not supported/s],
    ['run-broken.json', JSON.stringify({ ...runJson, nodes: 'none' }), /run-broken\.json.*nodes/s],
  ];
  for (const [name, content, words] of bad) {
    await importFile(fresh, name, content);
    await expect(message).toHaveText(words);
    await expect(message).toHaveAttribute('role', 'alert');
    await expectNothingStored(fresh);
  }

  // Still usable: the real alignment imports, with the same prompt.
  await importFile(fresh, 'my-alignment.json', alignmentText);
  await expect(message).toHaveText(/Imported alignment/);
  await expect(fresh.locator('tr[data-alignment]')).toHaveCount(1);
  // The same file again (issue 12): recognised by its content, nothing is added.
  await importFile(fresh, 'my-alignment (1).json', alignmentText);
  await expect(message).toHaveText(/my-alignment \(1\)\.json holds an alignment you already have/);
  await expect(fresh.locator('tr[data-alignment]')).toHaveCount(1);
  const [again] = await Promise.all([
    fresh.waitForEvent('download'),
    fresh.locator('tr[data-alignment]').getByRole('button', { name: 'Download' }).click(),
  ]);
  expect((JSON.parse(await text(again)) as { systemPrompt: string }).systemPrompt.trim()).toBe(prompt);

  // The run export imports too, and its result shows the same prompt.
  await importFile(fresh, 'export-me-run.json', runText);
  await expect(message).toHaveText(/Imported run “Export me”/);
  const row = fresh.locator('tr[data-run]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Export me');
  await expect(row).toContainText(/Finished/);
  await row.getByRole('link', { name: 'Open' }).click();
  await expect(fresh.locator('drpo-result-view pre.prompt').first()).toHaveText(prompt);
  // The same run file again: recognised as the run already there, nothing is added (as for alignments).
  await nav(fresh, 'History');
  await importFile(fresh, 'export-me-run.json', runText);
  await expect(message).toHaveText(/export-me-run\.json holds a run you already have \(“Export me”\)/);
  await expect(fresh.locator('tr[data-run]')).toHaveCount(1);
  await expect(fresh.locator(`tr[data-run="${runId}"]`)).toContainText('Export me');
  expect(errors).toEqual([]);
  await other.close();
});

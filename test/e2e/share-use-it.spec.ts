/**
 * Issue 12 items 9 and 10: the share page puts the prompt and its actions first, folds the examples
 * (rendered as safe markdown), and offers every "Use it" export, each copyable and downloadable with
 * exactly the text the core builders produce.
 */
import { readFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import { encodeAlignmentLink } from '../../src/core/formats/link-codec';
import { EXPORT_FORMATS } from '../../src/core/formats/export-formats';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import { watchErrors } from './helpers';
import { sampleArtifact } from '../support/artifacts';

const artifact: AlignmentArtifact = sampleArtifact({
  systemPrompt: 'You are a helpful assistant.\n- Answer the question first, then explain.',
  icl: Array.from({ length: 16 }, (_, i) => ({
    query: `Example question ${i + 1}?`,
    answer: `Here is **answer ${i + 1}**.\n\n${'A long paragraph of explanation. '.repeat(40)}\n\n- point one\n- point two`,
  })),
  model: { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', engine: 'webllm' },
  judge: { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', engine: 'webllm' },
  settings: {},
  examplesPerQuery: 2,
  name: 'Shared for use',
});

test('share page: prompt and actions first, examples folded as markdown, every export exact', async ({ page }) => {
  const errors = watchErrors(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const { fragment } = await encodeAlignmentLink(artifact);
  await page.goto(`./#${fragment}`);
  const preview = page.locator('drpo-share-preview');
  await expect(preview.locator('[data-state="ok"]')).toBeVisible();

  // The prompt and Copy / Try are above the fold, before the details and the examples.
  const prompt = preview.locator('[data-prompt]');
  const copy = preview.getByRole('button', { name: 'Copy prompt' });
  const tryIt = preview.getByRole('button', { name: 'Try it in the playground' });
  for (const el of [prompt, copy, tryIt]) {
    const box = (await el.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(page.viewportSize()!.height);
  }
  const order = await preview.evaluate((host) => {
    const root = host.shadowRoot!;
    const y = (sel: string) => root.querySelector(sel)!.getBoundingClientRect().top;
    return { prompt: y('[data-prompt]'), details: y('dl'), examples: y('[data-examples]') };
  });
  expect(order.prompt).toBeLessThan(order.details);
  expect(order.details).toBeLessThan(order.examples);
  await copy.click();
  await expect(preview.getByRole('status').filter({ hasText: 'Prompt copied.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(artifact.systemPrompt);

  // 16 long examples stay folded: the page is not thousands of pixels tall.
  const examples = preview.locator('[data-examples]');
  await expect(examples).not.toHaveAttribute('open');
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(2600);
  await examples.locator('summary').click();
  await expect(examples.locator('strong', { hasText: 'answer 1' }).first()).toBeVisible();
  await expect(examples.locator('li', { hasText: 'point one' }).first()).toBeVisible();
  await expect(examples).not.toContainText('**answer 1**');

  // Use it: each format is shown, copied and downloaded with exactly the builder's text.
  const useIt = preview.locator('drpo-use-it');
  for (const f of EXPORT_FORMATS) {
    const expected = f.build(artifact);
    await useIt.getByRole('button', { name: f.label, exact: true }).click();
    await expect(useIt.getByRole('button', { name: f.label, exact: true })).toHaveAttribute('aria-pressed', 'true');
    expect(await useIt.locator(`pre[data-export="${f.id}"]`).textContent()).toBe(expected);
    await useIt.getByRole('button', { name: `Copy ${f.label}` }).click();
    await expect(useIt.getByRole('status')).toHaveText(`${f.label} copied.`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      useIt.getByRole('button', { name: `Download ${f.fileName}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(f.fileName);
    expect(await readFile((await download.path())!, 'utf8')).toBe(expected);
  }
  expect(errors).toEqual([]);
});

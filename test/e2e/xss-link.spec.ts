/**
 * Issue 5: untrusted alignments stay inert. A share link (and an alignment file imported in History)
 * whose prompt, examples, model id and name carry script, event-handler, javascript: link, template and
 * remote-image payloads must show them as text: no dialog, no request to the payload URL, no script run
 * (payloads set `window.__xss`). Answers rendered as markdown in the playground are checked the same way:
 * the scripted endpoint echoes the question into its answer, so a payload question yields a payload answer.
 */
import { test, expect, type Page } from '@playwright/test';
import { encodeAlignmentLink } from '../../src/core/formats/link-codec';
import type { AlignmentArtifact } from '../../src/core/contracts/alignment';
import { SCRIPTED, connectScriptedEndpoint, control } from './helpers';
import { sampleArtifact } from '../support/artifacts';

const PAYLOAD_URL = `${SCRIPTED}/payload.png`;
const PAYLOADS = [
  '<script>window.__xss = 1; alert(1)</script>',
  '<img src=x onerror="window.__xss = 2; alert(1)">',
  '[click](javascript:window.__xss=3)',
  '${alert(1)}',
  '{{7*7}}',
  `<img src="${PAYLOAD_URL}">`,
  '<svg onload="window.__xss = 4"></svg><iframe src="javascript:window.__xss=5"></iframe>',
];

function hostileArtifact(): AlignmentArtifact {
  return sampleArtifact({
    systemPrompt: `You are helpful.\n${PAYLOADS.join('\n')}`,
    icl: [
      { query: `Question ${PAYLOADS[0]} ${PAYLOADS[4]}`, answer: `Answer ${PAYLOADS[1]} ${PAYLOADS[2]}` },
      { query: PAYLOADS[5]!, answer: `${PAYLOADS[3]} ${PAYLOADS[6]}` },
    ],
    model: { id: `model-${PAYLOADS[0]}`, engine: 'openai' },
    judge: { id: `judge-${PAYLOADS[1]}`, engine: 'openai' },
    lineage: [{ depth: 0, prompt: 'You are helpful.', reward: 4.2 }],
    name: `Evil ${PAYLOADS[1]} {{7*7}}`,
  });
}

interface Watch {
  dialogs: string[];
  payloadRequests: string[];
}

function watch(page: Page): Watch {
  const w: Watch = { dialogs: [], payloadRequests: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url().includes('payload.png') || r.url().startsWith('javascript:')) w.payloadRequests.push(r.url());
  });
  return w;
}

/** Nothing ran, nothing was fetched, no live element or javascript: link was created anywhere (shadow DOM included). */
async function expectInert(page: Page, w: Watch): Promise<void> {
  await page.waitForTimeout(300);
  expect(w.dialogs).toEqual([]);
  expect(w.payloadRequests).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  const live = await page.evaluate(() => {
    const found: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (tag === 'img' || tag === 'svg' || tag === 'iframe') found.push(tag);
        if (tag === 'script' && root !== document) found.push('script in a component');
        for (const attr of el.getAttributeNames()) {
          if (attr.startsWith('on')) found.push(`${tag}[${attr}]`);
          if (/^\s*javascript:/i.test(el.getAttribute(attr) ?? '')) found.push(`${tag}[${attr}=javascript:]`);
        }
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return found;
  });
  // The app's own icons may be inline SVG; none may come from the payloads (no handlers, no javascript:).
  expect(live.filter((x) => x !== 'svg')).toEqual([]);
}

test.beforeEach(async () => {
  await control({ reset: true, delayMs: 15 });
});

test('a hostile share link is previewed as text and runs nothing', async ({ page }) => {
  const w = watch(page);
  const { fragment } = await encodeAlignmentLink(hostileArtifact());
  await page.goto(`./#${fragment}`);
  const preview = page.locator('drpo-share-preview');
  await expect(preview.locator('[data-state="ok"]')).toBeVisible();
  await expect(preview.getByRole('heading', { level: 2 })).toContainText('Evil <img src=x onerror=');
  await expect(preview.getByRole('heading', { level: 2 })).toContainText('{{7*7}}');
  const prompt = preview.locator('[data-prompt]');
  for (const p of PAYLOADS) await expect(prompt).toContainText(p);
  await expect(preview).toContainText(`model-${PAYLOADS[0]}`);
  await expect(preview).toContainText(`judge-${PAYLOADS[1]}`);
  await expect(preview).toContainText(`Question ${PAYLOADS[0]} ${PAYLOADS[4]}`);
  await expect(preview).toContainText(`${PAYLOADS[3]} ${PAYLOADS[6]}`);
  await expect(preview).not.toContainText('49');
  await expectInert(page, w);

  // Opening it in the playground keeps it inert too.
  await preview.getByRole('button', { name: 'Try it in the playground' }).click();
  await expect(page).toHaveURL(/#\/playground/);
  await expect(page.locator('drpo-playground-view select#align')).toContainText('Evil <img');
  await expectInert(page, w);
});

test('a hostile alignment file imported in History, and payload answers in the playground, stay inert', async ({
  page,
}) => {
  const w = watch(page);
  await connectScriptedEndpoint(page);
  await page.getByRole('link', { name: 'History', exact: true }).first().click();
  const history = page.locator('drpo-history-view');
  await history.locator('input[type="file"]').setInputFiles({
    name: 'evil <img src=x onerror=alert(1)>.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(hostileArtifact())),
  });
  await expect(history).toContainText(/Imported alignment/);
  await expect(history).toContainText('Evil <img src=x onerror=');
  await expectInert(page, w);

  await history.getByRole('button', { name: 'Try in playground' }).first().click();
  await expect(page).toHaveURL(/#\/playground/);
  const playground = page.locator('drpo-playground-view');
  const input = playground.getByLabel('Message for both');
  const panes = playground.locator('drpo-chat-pane');
  // The scripted answer quotes the question (up to 80 characters), so each question is one payload.
  for (const question of [
    '<img src=x onerror="window.__xss=6"> <script>window.__xss=7</script>',
    `[click](javascript:window.__xss=8) <img src="${PAYLOAD_URL}">`,
    '${alert(1)} {{7*7}} <svg onload="window.__xss=9">',
  ]) {
    await input.fill(question);
    await playground.getByRole('button', { name: 'Send to both' }).click();
    await expect(playground.getByRole('button', { name: 'Send to both' })).toBeVisible({ timeout: 20_000 });
    // Both panes show the answer quoting the question (`… "<question>" …`) as text.
    for (const i of [0, 1]) await expect(panes.nth(i)).toContainText(`"${question.slice(0, 30)}`);
    await expectInert(page, w);
  }
  await expect(panes.nth(1)).toContainText('{{7*7}}');
});

test('a link in a model answer opens a new tab; the studio tab keeps its URL', async ({ page, context }) => {
  await context.route('https://docs.example/**', (r) => r.fulfill({ contentType: 'text/html', body: 'elsewhere' }));
  await connectScriptedEndpoint(page);
  await page.getByRole('link', { name: 'Playground', exact: true }).first().click();
  const playground = page.locator('drpo-playground-view');
  // The scripted answer quotes the question, so the answer carries this link.
  await playground.getByLabel('Message for both').fill('[docs](https://docs.example/page)');
  await playground.getByRole('button', { name: 'Send to both' }).click();
  await expect(playground.getByRole('button', { name: 'Send to both' })).toBeVisible({ timeout: 20_000 });
  const link = playground.locator('drpo-chat-pane').first().getByRole('link', { name: 'docs' });
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  const studio = page.url();
  const opened = context.waitForEvent('page');
  await link.click();
  const tab = await opened;
  await tab.waitForLoadState();
  expect(tab.url()).toBe('https://docs.example/page');
  // No opener: the new tab cannot reach back into the studio.
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  expect(page.url()).toBe(studio);
  await expect(playground.getByLabel('Message for both')).toBeVisible();
  await tab.close();
});

/**
 * Steps shared by the studio-flow e2e specs (flow-*.spec.ts, resume-*.spec.ts): connect the scripted
 * endpoint, pick the built-in data, start a tiny `quick` run, and read what the live view and the
 * scripted server show. Navigation inside one page goes through the nav links (hash routes), so the
 * in-memory AppState (roles, dataset, settings) survives; only a reload forgets it.
 */
import { test, expect, type Page } from '@playwright/test';
import { connectScriptedEndpoint } from './helpers';
import { defaultResponder, startScriptedServer } from '../fixtures/scripted-server';
import type { ScriptedServer } from '../fixtures/scripted-server';

/**
 * Each flow spec file gets its own scripted server on a free port, so other specs that steer or reset the
 * shared ones at :4174 and up (faults, request log) cannot disturb these runs. Reset before every test; 15 ms delay.
 */
export function useScriptedServer(): { readonly server: ScriptedServer } {
  const handle = {} as { server: ScriptedServer };
  test.beforeAll(async () => {
    handle.server = await startScriptedServer({ port: 0, delayMs: 15 });
  });
  test.beforeEach(() => {
    handle.server.reset();
    handle.server.setDelay(15);
    handle.server.setResponder(null);
  });
  test.afterAll(async () => {
    await handle.server?.close();
  });
  return handle;
}

/** Holds the scripted server's replies back, so the test, not the machine's speed, decides how far a run gets. */
export interface ReplyGate {
  /** Lets `n` more replies through from now on; the ones after them wait. */
  allow(n: number): void;
  /**
   * Lets the waiting replies go without counting them: their requests were aborted (a Pause or Cancel), so no
   * run reads them, and a resumed run asks again.
   */
  dropWaiting(): void;
}

/** Installs a gate on `server` that lets `n` replies through (counted from now), then holds the rest. */
export function gateReplies(server: ScriptedServer, n: number): ReplyGate {
  let passed = 0;
  let limit = n;
  let waiting: (() => void)[] = [];
  const drain = () => {
    while (waiting.length && passed < limit) {
      passed++;
      waiting.shift()!();
    }
  };
  server.setResponder(async (input) => {
    if (passed < limit) passed++;
    else await new Promise<void>((go) => waiting.push(go));
    return defaultResponder(input);
  });
  return {
    allow(more) {
      limit = passed + more;
      drain();
    },
    dropWaiting() {
      const stale = waiting;
      waiting = [];
      for (const go of stale) go();
    },
  };
}

export interface TinyRun {
  /** Search levels. */
  depth?: number;
  queriesPerLevel?: number;
  /** The endpoint's parallel requests (default: the form's). 1 makes the run's pace predictable. */
  parallel?: number;
  /** The endpoint's outage wait in seconds (default: the form's, 60). */
  outageS?: number;
  name?: string;
  /** Held-out questions (default 0: no final check, the run is "not verified"). */
  validation?: number;
  /** Replaces the Run view's starting prompt. */
  startingPrompt?: string;
  /** Runs just before Start is pressed (e.g. to note the server's request count). */
  beforeStart?: () => Promise<void>;
}

export async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).first().click();
}

/** Sets one number field in the Run view's advanced settings (fires `change`). */
async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.press('Tab');
  await expect(input).toHaveValue(String(value));
}

/** Setup (scripted endpoint) → Data (built-in set, no held-out queries) → Run (quick, tiny) → Start. Returns the run id. */
export async function startTinyRun(page: Page, server: ScriptedServer, opts: TinyRun = {}): Promise<string> {
  await connectScriptedEndpoint(page, server.url, { parallel: opts.parallel, outageS: opts.outageS });
  await nav(page, 'Data');
  await expect(page.getByText(/Built-in \(\d+ queries\)/)).toBeVisible();
  const val = page.getByLabel('Held-out questions');
  const held = opts.validation ?? 0;
  await val.fill(String(held));
  await val.press('Tab');
  await expect(page.locator('[data-chosen]').first()).toContainText(
    new RegExp(`Built-in training set.*${held} held-out question`, 's'),
  );
  await nav(page, 'Run');
  await page.getByText('Advanced settings and budget').click();
  await setNumber(page, 'Depth', opts.depth ?? 2);
  await setNumber(page, 'Depth extension', 0);
  await setNumber(page, 'Queries per level', opts.queriesPerLevel ?? 1);
  if (opts.name) await page.getByLabel('Run name (optional)').fill(opts.name);
  if (opts.startingPrompt !== undefined) await page.getByLabel('Starting prompt').fill(opts.startingPrompt);
  await opts.beforeStart?.();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/#\/live\/[^/?]+$/);
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#\/live\//, ''));
}

/** Prompts evaluated so far, from the node list (`role=option` rows). */
export function nodeCount(page: Page): Promise<number> {
  return page.getByRole('listbox', { name: 'Evaluated prompts' }).getByRole('option').count();
}

/** Number of prompts the beam tree says it holds ("Search tree: N prompts: your starting prompt and M levels"). */
export async function treeCount(page: Page): Promise<number> {
  const label = await page.getByRole('group', { name: /^Search tree:/ }).getAttribute('aria-label');
  return Number(/(\d+) prompts?/.exec(label ?? '')?.[1] ?? 0);
}

export async function waitForStatus(page: Page, words: RegExp, timeout = 30_000): Promise<void> {
  const status = page.getByRole('region', { name: 'Run status' }).locator('.status');
  // Fail fast, with the words the page shows, when the run stops with an error nobody expected.
  await expect
    .poll(
      async () => {
        const now = (await status.textContent())?.trim() ?? '';
        if (now === 'Stopped by an error' && !words.test(now)) {
          const why = await page.getByRole('alert').allTextContents();
          throw new Error(`The run stopped with an error: ${why.join(' | ').replace(/\s+/g, ' ')}`);
        }
        return now;
      },
      { timeout },
    )
    .toMatch(words);
}

export interface RecordedChat {
  path: string;
  body: { messages?: { role: string; content: string }[]; [k: string]: unknown };
  status?: number;
  fault?: string | null;
}

export function chatRequests(server: ScriptedServer): RecordedChat[] {
  return (server.requests as unknown as RecordedChat[]).filter((q) => q.path === '/v1/chat/completions');
}

/**
 * Runs a benchmark page in real Chromium: starts a Vite dev server on the repo, opens
 * `bench/<page>.html`, waits for `window.__benchResult`, and returns it.
 */
import { createServer } from 'vite';
import { chromium } from 'playwright';
import type { Browser } from 'playwright';

const ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--enable-precise-memory-info',
];

/** Starts a Vite dev server on the repo and Chromium, runs `fn`, and closes both whatever happens. */
export async function withBenchBrowser<T>(fn: (browser: Browser, baseUrl: string) => Promise<T>): Promise<T> {
  const server = await createServer({
    configFile: 'vite.config.ts',
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await server.listen();
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite dev server did not report a URL');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ARGS,
    });
    try {
      return await fn(browser, url);
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}

export async function runHarness<T>(page: string, timeoutMs = 180_000): Promise<T> {
  return withBenchBrowser(async (browser, url) => {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(new URL(`bench/${page}.html`, url).href);
    await p.waitForFunction(
      () => (window as unknown as { __benchResult?: unknown }).__benchResult !== undefined,
      undefined,
      { timeout: timeoutMs, polling: 250 },
    );
    const result = await p.evaluate(() => (window as unknown as { __benchResult: unknown }).__benchResult);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return result as T;
  });
}

/** Page load: initial JS (gzip), web-llm only in the worker chunk, first paint of the built page. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execSync } from 'node:child_process';
import { preview } from 'vite';
import { chromium } from 'playwright';
import type { BenchSection } from './types';

const DIST = 'dist';
const WEBLLM_MARKER = 'prebuiltAppConfig';

function initialScripts(): string[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set(refs)];
}

export async function benchPageLoad(): Promise<BenchSection> {
  if (!existsSync(join(DIST, 'index.html'))) execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
  const initial = initialScripts();
  let gz = 0;
  let raw = 0;
  let mainHasWebLlm = false;
  for (const f of initial) {
    const buf = readFileSync(join(DIST, f));
    raw += buf.length;
    gz += gzipSync(buf).length;
    if (buf.toString('utf8').includes(WEBLLM_MARKER)) mainHasWebLlm = true;
  }
  const assets = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
  const webllmChunks = assets.filter((f) => readFileSync(join(DIST, 'assets', f), 'utf8').includes(WEBLLM_MARKER));
  const workerGz = webllmChunks.reduce((s, f) => s + gzipSync(readFileSync(join(DIST, 'assets', f))).length, 0);

  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  const url = server.resolvedUrls?.local[0] ?? '';
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const paints: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      await p.goto(url, { waitUntil: 'load' });
      await p.waitForTimeout(300);
      const fcp = await p.evaluate(
        () => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? -1,
      );
      paints.push(fcp);
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.httpServer.close();
  }
  const fcp = paints.sort((a, b) => a - b)[1] ?? -1;
  return {
    name: 'Page load',
    rows: [
      { metric: 'initial JS files', value: initial.length },
      { metric: 'initial JS (raw KB)', value: +(raw / 1024).toFixed(1) },
      { metric: 'initial JS (gzip KB)', value: +(gz / 1024).toFixed(1) },
      { metric: 'web-llm chunk(s) (gzip KB)', value: +(workerGz / 1024).toFixed(1) },
      { metric: 'first contentful paint (ms, median of 3)', value: +fcp.toFixed(0) },
    ],
    targets: [
      { label: 'initial JS < 150 KB gzip', value: `${(gz / 1024).toFixed(1)} KB`, ok: gz < 150 * 1024 },
      { label: 'web-llm not in the initial chunk', value: mainHasWebLlm ? 'present' : 'absent', ok: !mainHasWebLlm },
      {
        label: 'web-llm in a lazily loaded chunk',
        value: webllmChunks.join(', ') || 'none',
        ok: webllmChunks.length > 0,
      },
    ],
  };
}

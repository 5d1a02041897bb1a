// Dev-only: trace the streaming harness and summarise main-thread time by trace event name.
import { createServer } from 'vite';
import { chromium } from 'playwright';
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
await server.listen();
const url = server.resolvedUrls!.local[0]!;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', '--enable-precise-memory-info'] });
const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
await p.goto(new URL('bench/ui-harness.html?' + (process.argv[2] ?? ''), url).href);
await p.waitForFunction(() => (window as unknown as { __benchResult?: unknown }).__benchResult !== undefined, undefined, { timeout: 200000, polling: 250 });
const buf = await browser.stopTracing();
console.log(JSON.stringify(await p.evaluate(() => (window as unknown as { __benchResult: unknown }).__benchResult)));
const { traceEvents } = JSON.parse(buf.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number }[] };
const main = traceEvents.find((e) => e.name === 'thread_name' && (e as unknown as { args: { name: string } }).args.name === 'CrRendererMain')?.tid;
const by = new Map<string, { t: number; n: number; max: number }>();
for (const e of traceEvents) {
  if (e.tid !== main || e.ph !== 'X' || !e.dur) continue;
  const v = by.get(e.name) ?? { t: 0, n: 0, max: 0 };
  v.t += e.dur / 1000; v.n++; v.max = Math.max(v.max, e.dur / 1000);
  by.set(e.name, v);
}
for (const [k, v] of [...by.entries()].sort((a, b) => b[1].t - a[1].t).slice(0, 25)) console.log(v.t.toFixed(0).padStart(7), 'ms', String(v.n).padStart(6), 'max', v.max.toFixed(1).padStart(7), k);
await browser.close();
await server.close();

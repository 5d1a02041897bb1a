/**
 * Issue 11, the CLI side: a 1 GB reply (2), a hung endpoint (3), faults in the final lines (4), two runs on
 * one --out and two processes on one checkpoint (6), stale temp files, flushed writes, huge input files
 * and the import message (8). Speed and memory figures of (2) and (3) are in `npm run bench` (robustness).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateArtifact } from '../../../src/core/formats/alignment-file';
import { runCli } from '../../../src/cli/drpo';
import { removeStaleTemps, writeAtomic } from '../../../src/cli/files';
import { defaultResponder, startScriptedServer, type ScriptedServer } from '../../fixtures/scripted-server';
import { hashString } from '../../fixtures/schema-instance';
import { captureIo, outageAt } from '../../support/cli-io';

let server: ScriptedServer;
let dir: string;

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setResponder(null);
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-robust-'));
});
afterEach(() => vi.restoreAllMocks());

const base = () => ['optimize', '--base-url', server.url, '--model', 'scripted-small', '--preset', 'quick'];
const checkpoints = (prefix = 'alignment.json') =>
  readdirSync(dir).filter((f) => f.startsWith(`${prefix}.`) && f.endsWith('.checkpoint.json'));

/** The pid of a process that has exited (nothing runs under it now, barring reuse). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('a 1 GB reply', () => {
  it('stops at the 8 MB cap: exit 2 with a named error, no memory blow-up', async () => {
    server.setFaults({ mode: 'huge', paths: ['/chat/completions'] });
    const io = captureIo(dir);
    const t0 = performance.now();
    expect(await runCli(base(), io)).toBe(2);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(io.err()).toMatch(/The endpoint sent a reply larger than 8 MB/);
    expect(io.err()).toMatch(/raise --max-reply-mb/);
    // A flood is not asked for again: no request body was sent twice (calls in flight at once may each get one).
    const bodies = server.requests
      .filter((r) => r.path.endsWith('/chat/completions'))
      .map((r) => JSON.stringify(r.body));
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('--max-reply-mb moves the cap', async () => {
    server.setHugeBytes(3 * 2 ** 20);
    server.setFaults({ mode: 'huge', paths: ['/chat/completions'] });
    const io = captureIo(dir);
    expect(await runCli([...base(), '--max-reply-mb', '2'], io)).toBe(2);
    expect(io.err()).toMatch(/larger than 2 MB/);
  });
});

describe('a hung endpoint', () => {
  it('--timeout-ms: exit 2 after the retries, saying so while waiting, no empty checkpoint', async () => {
    server.setFaults({ mode: 'timeout', paths: ['/chat/completions'] });
    const io = captureIo(dir);
    const t0 = performance.now();
    expect(await runCli([...base(), '--timeout-ms', '300', '--concurrency', '1'], io)).toBe(2);
    expect(performance.now() - t0).toBeLessThan(5_000);
    const err = io.err();
    expect(err).toMatch(/the endpoint did not answer in time; retry 1 of 2 now\n/);
    expect(err).toMatch(/the endpoint did not answer in time; retry 2 of 2 now\n/);
    expect(err).toMatch(/did not finish answering within 0\.3 s/);
    expect(err).toMatch(/raise --timeout-ms \(now 300\)/);
    // One call in flight (--concurrency 1): its three attempts, each counted.
    expect(err).toMatch(/3 requests to the endpoint failed \(timeout ×3\); 2 attempts repeated/);
    expect(err).toMatch(/Nothing was finished, so no checkpoint was kept/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--timeout-ms must be a whole number', async () => {
    const io = captureIo(dir);
    expect(await runCli([...base(), '--timeout-ms', 'soon'], io)).toBe(1);
    expect(io.err()).toMatch(/--timeout-ms must be a whole number/);
  });
});

describe('a server that fails every request', () => {
  it('gets a few retry notes, not one per request in flight (HTTP 500 at --concurrency 10)', async () => {
    server.setFaults({ mode: 'http-500', paths: ['/chat/completions'] });
    const io = captureIo(dir);
    expect(await runCli([...base(), '--concurrency', '10'], io)).toBe(2);
    const notes = io.err().match(/^the endpoint answered HTTP 500; retry .*$/gm) ?? [];
    // Ten requests fail at once, three times each: one note per retry (1, 2, 3 of 3), give or take a slow one.
    expect(server.requests.filter((r) => r.fault === 'http-500').length).toBeGreaterThanOrEqual(20);
    expect(notes.slice(0, 3).map((n) => n.replace(/ (now|in [\d.]+ s)$/, ''))).toEqual([
      'the endpoint answered HTTP 500; retry 1 of 3',
      'the endpoint answered HTTP 500; retry 2 of 3',
      'the endpoint answered HTTP 500; retry 3 of 3',
    ]);
    expect(notes.length, notes.join('\n')).toBeLessThanOrEqual(6);
  });
});

/**
 * Output of a run whose endpoint comes back once its outage's second note is said (a probe failed too): on the
 * event, not after a fixed time, which on a loaded machine could run out before the run's first call.
 */
const backAtSecondNote = () =>
  captureIo(dir, {
    onErr: (t) => void (/it gets up to 5 s to come back \(retry 2, /.test(t) && server.setFaults(null)),
  });

/**
 * Resumes the run of checkpoint `cp` into a server whose chats fail with `fault` from its model listing on, until
 * the outage's second note (backAtSecondNote); `listing` 404 answers the listing with "no route" (a server
 * without /models), null lets the server answer it.
 */
async function resumeIntoFault(cp: string, fault: 'down' | 'http-500', listing: 404 | null) {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (!String(input).endsWith('/models')) return realFetch(input, init);
    server.setFaults({ mode: fault, paths: ['/chat/completions'] });
    if (listing === 404) return new Response('{"error": {"message": "No route"}}', { status: 404 });
    return realFetch(input, init);
  });
  const io = backAtSecondNote();
  const args = [...base(), '--resume', cp, '--max-calls', '20', '--outage-grace-ms', '5000'];
  expect([0, 3], io.err()).toContain(await runCli(args, io));
  return io;
}

/**
 * A run stopped at its budget on a server of its own, which is then shut down (connections refused).
 * `io(onLine)` captures a resume's output, calling `onLine` with each stderr write; `restart()` starts the server
 * again on the same port; `args(graceMs)` are the resume's arguments, `fresh` a new run's.
 */
async function stoppedAfterRun() {
  const first = await startScriptedServer();
  const { url, port } = first;
  const at = ['optimize', '--base-url', url, '--model', 'scripted-small'];
  expect(await runCli([...at, '--max-calls', '12'], captureIo(dir))).toBe(3);
  const [cp] = checkpoints();
  await first.close();
  let back: Promise<ScriptedServer> | undefined;
  return {
    cp: cp!,
    fresh: at,
    args: (graceMs: string) => [...at, '--resume', cp!, '--max-calls', '20', '--outage-grace-ms', graceMs],
    io(onLine: (text: string) => void, signal?: AbortSignal) {
      const io = captureIo(dir, { signal });
      const write = io.stderr.write;
      io.stderr.write = (text: string) => {
        onLine(text);
        return write(text);
      };
      return io;
    },
    restart: () => void (back ??= startScriptedServer({ port })),
    close: async () => (await back)?.close(),
  };
}

describe('a short outage mid-run', () => {
  it('is waited out, said while it lasts, and the run finishes (--outage-grace-ms)', async () => {
    // The server goes away for 0.8 s once the run is under way (every request refused meanwhile).
    const cancel = outageAt(server, 10, 800);
    const io = captureIo(dir);
    try {
      expect(await runCli([...base(), '--outage-grace-ms', '5000'], io), io.err()).toBe(0);
    } finally {
      cancel();
    }
    expect(server.requests.some((r) => r.fault === 'down')).toBe(true);
    expect(io.err()).toMatch(
      /the endpoint (went down|has been down for [\d.]+ s) \(network\); it gets up to 5 s to come back \(retry 1, next (now|in [\d.]+ s)\)\n/,
    );
    expect(io.out()).toMatch(/requests to the endpoint failed \(network ×\d+\)/);
    expect(io.out()).toMatch(/The endpoint was down (once, for|\d+ times,) [^\n]*; the run waited (it|them) out\.\n/);
  });

  it('that outlasts its wait stops the run saying so, with the option to raise, not the advice for a wrong address', async () => {
    outageAt(server, 10);
    const io = captureIo(dir);
    expect(await runCli([...base(), '--outage-grace-ms', '400'], io)).toBe(2);
    const err = io.err();
    expect(err).toMatch(
      /drpo optimize: The endpoint stopped answering and did not come back within 0\.4 s \(the outage wait\)\.\n/,
    );
    expect(err).toMatch(/raise --outage-grace-ms \(now 400\)/);
    expect(err).not.toMatch(/Check --base-url|CORS/);
  });

  it('is not what a server answering every request with HTTP 500 has: it fails soon, pointing to its logs', async () => {
    server.setFaults({ mode: 'http-500', paths: ['/chat/completions'] });
    const io = captureIo(dir);
    // An hour's wait: had the 500s been taken for an outage, this run would not end within the test's time.
    expect(await runCli([...base(), '--outage-grace-ms', '3600000'], io)).toBe(2);
    expect(io.err()).not.toMatch(/it gets up to/);
    expect(io.err()).toMatch(/The server answered but failed the requests: check its logs/);
    expect(io.err()).not.toMatch(/Check --base-url/);
  });

  it('right after start is waited out too: the model listing counts as the endpoint answering', async () => {
    // The listing is answered; every chat is refused until the outage's second note.
    server.setFaults({ mode: 'down', paths: ['/chat/completions'] });
    const io = backAtSecondNote();
    expect([0, 3], io.err()).toContain(await runCli([...base(), '--max-calls', '8', '--outage-grace-ms', '5000'], io));
    expect(server.requests.some((r) => r.fault === 'down')).toBe(true);
    // Waited as an outage, not as each request's own few retries ("could not be reached; retry 1 of 3").
    expect(io.err()).toMatch(/it gets up to 5 s to come back \(retry 1, next (now|in [\d.]+ s)\)\n/);
    expect(io.err()).not.toMatch(/could not be reached; retry/);
  });

  it('at the start of a resumed run is waited out: the endpoint answered the run before', async () => {
    expect(await runCli([...base(), '--max-calls', '12'], captureIo(dir))).toBe(3);
    const [cp] = checkpoints();
    // A server that lists no models (404), so only the checkpoint says it answered; it refuses every chat from the
    // listing on, until the outage's second note.
    const io = await resumeIntoFault(cp!, 'down', 404);
    expect(io.err()).toMatch(/Resuming run cli-/);
    expect(server.requests.some((r) => r.fault === 'down')).toBe(true);
    expect(io.err()).toMatch(/it gets up to 5 s to come back \(retry 1, next (now|in [\d.]+ s)\)\n/);
    expect(io.err()).not.toMatch(/could not be reached; retry/);
  });

  it('at the start of a resumed run is waited out also when the listing resolved the model id (HTTP 500)', async () => {
    // The server lists the model under its full tag: the cache keys hold "scripted-small:latest", the run's
    // settings "scripted-small". A listing alone does not let HTTP 500 be waited out; the checkpoint does.
    server.setModels(['scripted-small:latest']);
    expect(await runCli([...base(), '--max-calls', '12'], captureIo(dir))).toBe(3);
    const [cp] = checkpoints();
    const io = await resumeIntoFault(cp!, 'http-500', null);
    expect(io.err()).toMatch(/Resuming run cli-/);
    expect(io.err()).toMatch(/it gets up to 5 s to come back \(retry 1, next (now|in [\d.]+ s)\)\n/);
  });

  it('at the start of a resumed run is waited out also for a checkpoint written before addresses were recorded', async () => {
    expect(await runCli([...base(), '--max-calls', '12'], captureIo(dir))).toBe(3);
    const [cp] = checkpoints();
    const file = path.join(dir, cp!);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { endpoint?: string };
    expect(saved.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    delete saved.endpoint;
    writeFileSync(file, JSON.stringify(saved));
    // HTTP 500 after the listing: only a checkpoint taken as this endpoint's lets it be waited out.
    const io = await resumeIntoFault(cp!, 'http-500', null);
    expect(io.err()).toMatch(/it gets up to 5 s to come back \(retry 1, next (now|in [\d.]+ s)\)\n/);
  });

  it('at the model listing of a resumed run is waited out: a server refusing connections until it restarts', async () => {
    const stopped = await stoppedAfterRun();
    // It comes back once the listing has found it gone twice, more than the listing's own one retry allows (no
    // timer: the outage's second note is the cue).
    const io = stopped.io((t) => /it gets up to 5 s to come back \(retry 2, /.test(t) && stopped.restart());
    try {
      expect([0, 3], io.err()).toContain(await runCli(stopped.args('5000'), io));
    } finally {
      await stopped.close();
    }
    expect(io.err()).toMatch(/^the endpoint went down \(network\); it gets up to 5 s to come back \(retry 1, next /m);
    expect(io.err()).toMatch(/Resuming run cli-/);
    expect(io.err()).not.toMatch(/could not be reached; retry|Could not reach|Check --base-url/);
    // The listing is the resume's first request: the run's fault list names the outage it waited out.
    expect(io.out()).toMatch(/requests to the endpoint failed \(network ×\d+\)/);
    expect(io.out()).toMatch(/The endpoint was down once, for [\d.]+ s; the run waited it out\.\n/);
  });

  it('at the model listing of a resumed run, past its wait, fails naming --outage-grace-ms', async () => {
    const stopped = await stoppedAfterRun();
    const io = stopped.io(() => {});
    expect(await runCli(stopped.args('300'), io)).toBe(2);
    const err = io.err();
    expect(err).toMatch(/it gets up to 0\.3 s to come back \(retry 1, /);
    expect(err).toMatch(
      /drpo optimize: The endpoint stopped answering and did not come back within 0\.3 s \(the outage wait\)\.\n/,
    );
    expect(err).toMatch(/It answered before, so the address is right; .*raise --outage-grace-ms \(now 300\)/);
    expect(err).not.toMatch(/Resuming run|Check --base-url/);
  });

  it('at the model listing of a resumed run stops at Ctrl+C, keeping the checkpoint', async () => {
    const stopped = await stoppedAfterRun();
    const ctrl = new AbortController();
    const io = stopped.io((t) => /it gets up to/.test(t) && ctrl.abort(), ctrl.signal);
    expect(await runCli(stopped.args('3600000'), io)).toBe(130);
    expect(io.err()).toMatch(/^Interrupted\. The checkpoint is kept\.\nResume with: drpo optimize --resume /m);
    expect(existsSync(path.join(dir, stopped.cp))).toBe(true);
  });

  it('is not waited for at the listing of a resume given another --base-url: the checkpoint names where its calls went', async () => {
    const stopped = await stoppedAfterRun();
    const io = captureIo(dir);
    const args = stopped.args('3600000');
    const at = args.indexOf('--base-url') + 1;
    const elsewhere = args[at]!.replace('127.0.0.1', 'localhost');
    expect(elsewhere).not.toBe(args[at]);
    args[at] = elsewhere;
    // An hour's wait: had the listing waited it out, this resume would not end within the test's time.
    expect(await runCli(args, io)).toBe(2);
    expect(io.err()).toMatch(
      /^note: the checkpoint's calls went to http:\/\/127\.0\.0\.1:\d+\/v1; this resume goes to http:\/\/localhost:\d+\/v1, so an outage at the start is not waited out\.$/m,
    );
    expect(io.err()).not.toMatch(/it gets up to/);
  });

  it("is not waited for at the listing of a fresh run: a dead address fails after the listing's own retry", async () => {
    const stopped = await stoppedAfterRun();
    const io = captureIo(dir);
    // An hour's wait: had the listing waited it out, this run would not end within the test's time.
    // --force: the stopped run's alignment is at --out, which a new run replaces only when asked.
    expect(await runCli([...stopped.fresh, '--force', '--outage-grace-ms', '3600000'], io)).toBe(2);
    expect(io.err()).toMatch(/^the endpoint could not be reached; retry 1 of 1 /m);
    expect(io.err()).toMatch(
      /Check that it is running and that the address and port are right\.\n.*\n {2}The address and port are the ones given with --base-url\.\n/,
    );
    expect(io.err()).not.toMatch(/it gets up to/);
  });

  it('--outage-grace-ms must be a whole number of milliseconds up to an hour', async () => {
    const io = captureIo(dir);
    expect(await runCli([...base(), '--outage-grace-ms', '4000000'], io)).toBe(1);
    expect(io.err()).toMatch(/--outage-grace-ms must be a whole number from 0 to 3600000/);
  });
});

describe('faults in plain sight', () => {
  it('unreadable judgements and HTTP errors are in the final lines, with a hint', async () => {
    // Two in three judgements are unreadable (the re-ask as well: the choice hangs on the question asked).
    server.setResponder((input) => {
      const body = input.body as {
        response_format?: { json_schema?: { name?: string } };
        messages?: { content: string }[];
      };
      if (body.response_format?.json_schema?.name !== 'aspect_scores') return defaultResponder(input);
      // The question and answer judged (the re-ask's reminder is appended at the end).
      const asked = (body.messages?.at(-1)?.content ?? '').slice(0, 400);
      return hashString(asked) % 3 === 0 ? defaultResponder(input) : 'I would rather not say.';
    });
    server.setFaults({ rate: 0.1, modes: ['http-429'], seed: 7, paths: ['/chat/completions'] });
    const io = captureIo(dir);
    const code = await runCli([...base(), '--max-calls', '60'], io);
    expect([0, 3], io.err()).toContain(code);
    const out = io.out();
    expect(out).toMatch(/^Faults during the run:$/m);
    expect(out).toMatch(/\d+ model replies could not be read/);
    expect(out).toMatch(/\d+ of \d+ answers could not be scored/);
    expect(out).toMatch(/\d+ requests to the endpoint failed \(HTTP 429 ×\d+\); \d+ attempts repeated/);
    expect(out).toMatch(/hint: \d+% of the judge's replies were unreadable: try a larger judge model/);
  });

  it('a clean run prints no fault lines', async () => {
    const io = captureIo(dir);
    expect([0, 3]).toContain(await runCli([...base(), '--max-calls', '20'], io));
    expect(io.out()).not.toMatch(/Faults/);
  });
});

describe('two runs, one --out', () => {
  it('each run has its own checkpoint: one finishing does not delete the other', async () => {
    const first = captureIo(dir);
    expect(await runCli([...base(), '--max-calls', '12'], first)).toBe(3);
    const [mine] = checkpoints();
    expect(mine).toBeDefined();
    // Two more on the same --out, one after the other: one stops at its budget, the other finishes (and
    // removes its own checkpoint, which is what used to delete the others'). --force: each replaces the
    // alignment the one before wrote.
    const [a, b] = [captureIo(dir), captureIo(dir)];
    expect(await runCli([...base(), '--max-calls', '30', '--seed', '1', '--force'], a)).toBe(3);
    expect(await runCli([...base(), '--seed', '2', '--force'], b)).toBe(0);
    expect(checkpoints()).toContain(mine);
    expect(checkpoints()).toHaveLength(2);
    // At the same time, the second run on that --out stops at once: it would replace the first one's result.
    const [c, d] = [captureIo(dir), captureIo(dir)];
    const codes = await Promise.all([
      runCli([...base(), '--seed', '3', '--force'], c),
      runCli([...base(), '--seed', '4', '--force'], d),
    ]);
    expect(codes.slice().sort()).toEqual([0, 1]);
    expect(c.err() + d.err()).toMatch(/The output file "alignment\.json" is in use by this process/);
    expect(checkpoints()).toHaveLength(2);
    // The first run stopped before the others wrote alignment.json: its resume would replace their result, so it
    // asks for --force (as they did).
    const refused = captureIo(dir);
    expect(await runCli([...base(), '--resume', mine!, '--max-calls', '40'], refused)).toBe(1);
    expect(refused.err()).toMatch(/which this run did not write/);
    const resumed = captureIo(dir);
    expect(await runCli([...base(), '--resume', mine!, '--max-calls', '40', '--force'], resumed)).toBe(3);
    expect(resumed.err()).toMatch(/Resuming run cli-/);
    expect(validateArtifact(JSON.parse(readFileSync(path.join(dir, 'alignment.json'), 'utf8'))).ok).toBe(true);
  });

  it('a second process on the same checkpoint stops with exit 1; a dead holder is taken over', async () => {
    const first = captureIo(dir);
    expect(await runCli([...base(), '--max-calls', '12'], first)).toBe(3);
    const [cp] = checkpoints();
    const lock = path.join(dir, `${cp}.lock`);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(
        lock,
        JSON.stringify({ pid: holder.pid, host: (await import('node:os')).hostname(), startedAt: 1 }),
      );
      const second = captureIo(dir);
      expect(await runCli([...base(), '--resume', cp!, '--max-calls', '40'], second)).toBe(1);
      expect(second.err()).toMatch(new RegExp(`is in use by another drpo process \\(pid ${holder.pid}`));
      expect(existsSync(lock)).toBe(true);
    } finally {
      holder.kill();
    }
    writeFileSync(
      lock,
      JSON.stringify({ pid: await deadPid(), host: (await import('node:os')).hostname(), startedAt: 1 }),
    );
    const third = captureIo(dir);
    expect(await runCli([...base(), '--resume', cp!, '--max-calls', '40'], third)).toBe(3);
    // Released when done.
    expect(existsSync(lock)).toBe(false);
  });
});

describe('files', () => {
  it('temp files of writers killed mid-write are removed at the start', async () => {
    const pid = await deadPid();
    const junk = [`alignment.json.tmp-${pid}-1`, `old.json.tmp-${pid}-2`];
    for (const f of junk) writeFileSync(path.join(dir, f), '{"half');
    const live = `alignment.json.tmp-${process.pid}-3`;
    writeFileSync(path.join(dir, live), 'mine');
    expect([0, 3]).toContain(await runCli([...base(), '--max-calls', '12'], captureIo(dir)));
    const left = readdirSync(dir);
    expect(left).not.toContain(junk[0]);
    expect(left).toContain(live); // a live writer's temp file stays
    // The next write of old.json sweeps its own leftovers.
    await writeAtomic(path.join(dir, 'old.json'), '{}');
    expect(readdirSync(dir)).not.toContain(junk[1]);
  });

  it('a file is swept once per process: the sweep at the start covers its later writes', async () => {
    const target = path.join(dir, 'once.json');
    expect(await removeStaleTemps(target)).toBe(0);
    // Left by a writer that died after the sweep (cannot happen in practice): the write does not look again.
    const late = `once.json.tmp-${await deadPid()}-1`;
    writeFileSync(path.join(dir, late), '{"half');
    await writeAtomic(target, '{}');
    expect(readdirSync(dir)).toContain(late);
  });

  it('a write is flushed to disk before the rename', async () => {
    const target = path.join(dir, 'flushed.json');
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const seen: boolean[] = [];
    const realSync = proto.sync;
    vi.spyOn(proto, 'sync').mockImplementation(async function (this: unknown) {
      seen.push(existsSync(target));
      return realSync.call(this);
    });
    await writeAtomic(target, '{"ok": true}');
    expect(seen[0]).toBe(false); // synced while the new content had no name yet
    expect(readFileSync(target, 'utf8')).toBe('{"ok": true}');
  });

  it('a 100 MB training file is refused from its size, without reading it', async () => {
    const big = path.join(dir, 'big.jsonl');
    writeFileSync(big, '');
    truncateSync(big, 100 * 2 ** 20);
    const probe = await open(big, 'r');
    const proto = Object.getPrototypeOf(probe) as { readFile: () => Promise<Buffer> };
    await probe.close();
    const read = vi.spyOn(proto, 'readFile');
    const io = captureIo(dir);
    expect(await runCli([...base(), '--train', 'big.jsonl'], io)).toBe(1);
    expect(io.err()).toMatch(/The training file "big.jsonl" is 100 MB; the limit is 50 MB/);
    expect(read).not.toHaveBeenCalled();
  });

  it('importing a published prompt without scores says what was imported', async () => {
    writeFileSync(
      path.join(dir, 'tiny.json'),
      JSON.stringify({ 'level 1': { Prompt: 'Be kind.' }, 'level 2': { Prompt: 'Be kind and brief.' } }),
    );
    const io = captureIo(dir);
    expect(await runCli(['import-drpo', 'tiny.json', '--out', 'a.json'], io)).toBe(0);
    expect(io.out()).toMatch(/Imported the final prompt of 2 levels \(none scored, so no lineage\) for tiny/);
    expect(io.out()).not.toMatch(/0 examples/);
  });
});

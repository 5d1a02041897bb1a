/**
 * What earlier work the CLI finds at --out and in checkpoints: an alignment is never replaced without
 * --force, a new run names the checkpoints it could resume instead, a spent budget is said before any call,
 * and the hints to copy work on a server that needs a key (which they never print).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/drpo';
import { validateArtifact } from '../../../src/core/formats/alignment-file';
import { captureIo, cliFixture } from '../../support/cli-io';
import { sampleArtifact } from '../../support/artifacts';
import { startScriptedServer } from '../../fixtures/scripted-server';

const fx = cliFixture('drpo-earlier-');
const at = (f: string) => path.join(fx.dir, f);
const optimize = () => ['optimize', '--base-url', fx.server.url, '--model', 'scripted-small'];
const checkpoints = (out: string) =>
  readdirSync(fx.dir).filter((f) => f.startsWith(`${out}.cli-`) && f.endsWith('.checkpoint.json'));
const kept = () => `${JSON.stringify(sampleArtifact({ name: 'Kept', outcome: 'improved' }), null, 2)}\n`;
const REFUSED =
  /--out "alignment\.json" already holds an alignment \("Kept", for Qwen2\.5-0\.5B-Instruct-q4f16_1-MLC, outcome: improved, made [^)]+\); (this run|the import) would replace it\. To keep it, pass another --out \(e\.g\. --out alignment-2\.json\); to replace it, pass --force\./;

describe('an alignment at --out is replaced only when asked', () => {
  it('import-drpo refuses, naming the alignment and both ways out; --force replaces it', async () => {
    writeFileSync(at('alignment.json'), kept());
    writeFileSync(at('tiny.json'), JSON.stringify({ 'level 1': { Prompt: 'Be kind.', Score: '4' } }));
    const io = captureIo(fx.dir);
    expect(await runCli(['import-drpo', 'tiny.json'], io)).toBe(1);
    expect(io.err()).toMatch(REFUSED);
    expect(io.err()).toMatch(/the import would replace it/);
    expect(readFileSync(at('alignment.json'), 'utf8')).toBe(kept());
    expect(await runCli(['import-drpo', 'tiny.json', '--force'], captureIo(fx.dir))).toBe(0);
    expect(readFileSync(at('alignment.json'), 'utf8')).toMatch(/Be kind\./);
  });

  it('optimize refuses before any request, lock or checkpoint; so for a file that is no alignment', async () => {
    writeFileSync(at('alignment.json'), kept());
    const io = captureIo(fx.dir);
    expect(await runCli(optimize(), io)).toBe(1);
    expect(io.err()).toMatch(REFUSED);
    expect(fx.server.requests).toHaveLength(0);
    expect(readdirSync(fx.dir)).toEqual(['alignment.json']);
    expect(readFileSync(at('alignment.json'), 'utf8')).toBe(kept());
    writeFileSync(at('notes.json'), 'my notes');
    const other = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--out', 'notes.json'], other)).toBe(1);
    expect(other.err()).toMatch(/--out "notes\.json" already holds a file that is not an alignment; this run would/);
  });

  it("a resume replaces its own run's result at the --out it started with, not another file", async () => {
    expect(await runCli([...optimize(), '--max-calls', '40', '--out', 'a.json'], captureIo(fx.dir))).toBe(3);
    const before = readFileSync(at('a.json'), 'utf8');
    expect(validateArtifact(JSON.parse(before)).ok).toBe(true);
    const [cp] = checkpoints('a.json');
    writeFileSync(at('b.json'), kept());
    const elsewhere = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--resume', cp!, '--out', 'b.json', '--max-calls', '1000'], elsewhere)).toBe(1);
    expect(elsewhere.err()).toMatch(/--out "b\.json" already holds an alignment \("Kept"/);
    // Without --out: the --out the run started with (its checkpoint is named after it).
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--resume', cp!, '--max-calls', '100000'], io)).toBe(0);
    expect(io.out()).toMatch(/Alignment written to .*a\.json$/m);
    expect(readFileSync(at('a.json'), 'utf8')).not.toBe(before);
    expect(existsSync(at('alignment.json'))).toBe(false);
    expect(checkpoints('a.json')).toEqual([]);
  });

  it('a resume refuses an alignment another run wrote at its --out after it stopped (exit 1); --force replaces it', async () => {
    // Interrupted once its checkpoint holds a scored prompt: nothing written at u.json.
    const ctrl = new AbortController();
    const first = captureIo(fx.dir, {
      signal: ctrl.signal,
      onOut: (s) => void (s.includes('"node-evaluated"') && setImmediate(() => ctrl.abort())),
    });
    expect(await runCli([...optimize(), '--out', 'u.json', '--json'], first)).toBe(130);
    expect(existsSync(at('u.json'))).toBe(false);
    const resume = /Resume with: (drpo optimize .*)$/m.exec(first.err())![1]!;
    // A second run for u.json, to the end.
    const second = [...optimize(), '--out', 'u.json', '--initial-prompt', 'Answer in one short paragraph.'];
    expect(await runCli(second, captureIo(fx.dir))).toBe(0);
    const theirs = readdirSync(fx.dir)
      .filter((f) => f.startsWith('u.') && !f.includes('checkpoint'))
      .map((f) => [f, readFileSync(at(f), 'utf8')] as const);
    expect(theirs.map(([f]) => f)).toContain('u.json');
    // The first run's resume command, pasted as printed: refused before any call, every file as it was.
    const requests = fx.server.requests.length;
    const io = captureIo(fx.dir);
    expect(await runCli(resume.split(' ').slice(1), io)).toBe(1);
    expect(io.err()).toMatch(
      /--out "u\.json" already holds an alignment \([^)]*\), which this run did not write \(it was written after the run began\); this resume would replace it\. To keep it, pass another --out \(e\.g\. --out u-2\.json\); to replace it, pass --force\./,
    );
    expect(fx.server.requests.length).toBe(requests);
    for (const [f, text] of theirs) expect(readFileSync(at(f), 'utf8'), f).toBe(text);
    // Asked for: the resume finishes its run there.
    const forced = captureIo(fx.dir);
    expect(await runCli([...resume.split(' ').slice(1), '--force'], forced)).toBe(0);
    expect(forced.out()).toMatch(/Alignment written to .*u\.json$/m);
    expect(readFileSync(at('u.json'), 'utf8')).not.toBe(theirs.find(([f]) => f === 'u.json')![1]);
  });

  it('a resume of a run budget-stopped twice replaces its own latest result, not one written over it', async () => {
    expect(await runCli([...optimize(), '--max-calls', '40', '--out', 'a.json'], captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('a.json');
    expect(await runCli(['optimize', '--resume', cp!, '--max-calls', '60'], captureIo(fx.dir))).toBe(3);
    const own = readFileSync(at('a.json'), 'utf8');
    writeFileSync(at('a.json'), kept());
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--resume', cp!, '--max-calls', '100000'], io)).toBe(1);
    expect(io.err()).toMatch(/already holds an alignment \("Kept".*which this run did not write/);
    writeFileSync(at('a.json'), own);
    expect(await runCli(['optimize', '--resume', cp!, '--max-calls', '100000'], captureIo(fx.dir))).toBe(0);
    expect(checkpoints('a.json')).toEqual([]);
  });

  it('a resume to another --out replaces its own result there: the continue command it prints works pasted', async () => {
    expect(await runCli([...optimize(), '--out', 'a.json', '--max-calls', '40'], captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('a.json');
    const first = readFileSync(at('a.json'), 'utf8');
    const moved = captureIo(fx.dir);
    expect(await runCli(['optimize', '--resume', cp!, '--out', 'b.json', '--max-calls', '60'], moved)).toBe(3);
    const own = readFileSync(at('b.json'), 'utf8');
    expect(validateArtifact(JSON.parse(own)).ok).toBe(true);
    const pasted = /To continue with a larger budget: drpo (optimize .*)$/m.exec(moved.err())![1]!;
    expect(pasted).toBe(`optimize --resume ${cp} --out b.json --max-calls 120`);
    // Pasted as printed: b.json is the run's own result (its checkpoint keeps its digest), so it is replaced.
    const io = captureIo(fx.dir);
    expect(await runCli(pasted.split(' '), io)).toBe(3);
    expect(io.err()).toMatch(/Resuming run cli-/);
    expect(io.err()).toMatch(/calls 120\/120/);
    expect(readFileSync(at('b.json'), 'utf8')).not.toBe(own);
    expect(readFileSync(at('a.json'), 'utf8')).toBe(first);
    // Any other alignment there is still not its own: refused, saying no more than is known.
    writeFileSync(at('b.json'), kept());
    const refused = captureIo(fx.dir);
    expect(await runCli(['optimize', '--resume', cp!, '--out', 'b.json', '--max-calls', '1000'], refused)).toBe(1);
    expect(refused.err()).toMatch(
      /--out "b\.json" already holds an alignment \("Kept"[^)]*\); this resume would replace it\./,
    );
    expect(readFileSync(at('b.json'), 'utf8')).toBe(kept());
  });

  it('a checkpoint from before digests were kept may replace the alignment at the --out its run started with', async () => {
    expect(await runCli([...optimize(), '--out', 'a.json', '--max-calls', '40'], captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('a.json');
    // As an older drpo wrote it: no ownOutputs at all (not an empty list).
    const { ownOutputs, ...older } = JSON.parse(readFileSync(at(cp!), 'utf8')) as { ownOutputs?: unknown };
    expect(ownOutputs).toHaveLength(1);
    writeFileSync(at(cp!), JSON.stringify(older));
    const before = readFileSync(at('a.json'), 'utf8');
    // Elsewhere: refused, without saying the run did not write it (that checkpoint cannot tell).
    writeFileSync(at('b.json'), kept());
    const elsewhere = captureIo(fx.dir);
    expect(await runCli(['optimize', '--resume', cp!, '--out', 'b.json', '--max-calls', '80'], elsewhere)).toBe(1);
    expect(elsewhere.err()).toMatch(/--out "b\.json" already holds an alignment \("Kept"[^)]*\); this resume would/);
    expect(readFileSync(at('b.json'), 'utf8')).toBe(kept());
    // At its own --out: the result there is replaced, as before digests were kept (no --force needed).
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--resume', cp!, '--max-calls', '80'], io)).toBe(3);
    expect(io.err()).not.toMatch(/did not write/);
    expect(io.err()).toMatch(/Resuming run cli-/);
    expect(readFileSync(at('a.json'), 'utf8')).not.toBe(before);
    // Its checkpoint now keeps digests: its own result is known again, and the command it printed works pasted.
    expect(JSON.parse(readFileSync(at(cp!), 'utf8'))).toHaveProperty('ownOutputs');
    const pasted = /To continue with a larger budget: drpo (optimize .*)$/m.exec(io.err())![1]!;
    const again = captureIo(fx.dir);
    expect([0, 3]).toContain(await runCli(pasted.split(' '), again));
    expect(again.err()).toMatch(/Resuming run cli-/);
  });

  it('a file another program writes at --out during the run is left as it was: the result goes beside it', async () => {
    let wrote = false;
    const io = captureIo(fx.dir, {
      onOut: (s) => {
        if (wrote || !s.includes('"node-evaluated"')) return;
        wrote = true;
        writeFileSync(at('a.json'), 'theirs');
      },
    });
    expect(await runCli([...optimize(), '--out', 'a.json', '--json'], io)).toBe(0);
    expect(readFileSync(at('a.json'), 'utf8')).toBe('theirs');
    expect(io.err()).toMatch(/a\.json was written by another program during this run; it is left as it was/);
    expect(io.err()).toMatch(/Alignment written to .*a-2\.json/);
    expect(validateArtifact(JSON.parse(readFileSync(at('a-2.json'), 'utf8'))).ok).toBe(true);
  });
});

describe('a mistake in the command is told as itself, not as an alignment at --out to --force over', () => {
  it('optimize, eval and import-drpo name the wrong option or missing file, and leave --out as it was', async () => {
    writeFileSync(at('alignment.json'), kept());
    writeFileSync(at('eval-report.json'), JSON.stringify({ format: 'drpo-eval', version: 1 }));
    const evalCmd = ['eval', '--base-url', fx.server.url, '--model', 'scripted-small'];
    const cases: [string[], RegExp][] = [
      [[...optimize(), '--preset', 'fast'], /--preset must be quick, paper or thorough \(got "fast"\)/],
      [[...optimize(), '--train', 'missing.jsonl'], /Cannot read the training file "missing\.jsonl": no such file\./],
      [[...optimize(), '--initial-prompt', 'x', '--initial-prompt-file', 'p.txt'], /either --initial-prompt or/],
      [[...optimize(), '--max-calls', '0'], /--max-calls must be a whole number ≥ 1 \(got "0"\)/],
      [[...evalCmd, '--alignment', 'missing.json'], /Cannot read the alignment file "missing\.json": no such file\./],
      [[...evalCmd, '--baseline', '--queries', 'missing.jsonl'], /Cannot read the query file "missing\.jsonl"/],
      [['import-drpo', 'missing.json'], /Cannot read the file "missing\.json": no such file\./],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo(fx.dir);
      expect(await runCli(argv, io), argv.join(' ')).toBe(1);
      expect(io.err()).toMatch(message);
      expect(io.err()).not.toMatch(/already holds/);
    }
    expect(fx.server.requests).toHaveLength(0);
    expect(readdirSync(fx.dir).sort()).toEqual(['alignment.json', 'eval-report.json']);
    expect(readFileSync(at('alignment.json'), 'utf8')).toBe(kept());
  });
});

describe('a new run names the checkpoints it could resume instead', () => {
  it('with the command to copy (no key, no --base-url: the checkpoint has the address), not those in use', async () => {
    const env = { DRPO_API_KEY: 'sk-SECRET-1' };
    expect(await runCli([...optimize(), '--max-calls', '2', '--out', 'k.json'], captureIo(fx.dir, { env }))).toBe(3);
    const [first] = checkpoints('k.json');
    const again = captureIo(fx.dir, { env });
    expect(await runCli([...optimize(), '--max-calls', '2', '--out', 'k.json'], again)).toBe(3);
    expect(again.err()).toContain(
      `note: an earlier run for k.json stopped before it was done; this run starts over. To continue it instead, stop this one (Ctrl+C) and run:\n` +
        `  drpo optimize --resume ${first} --max-calls 4 (add your --api-key, or set DRPO_API_KEY)\n`,
    );
    expect(again.err() + again.out()).not.toContain('SECRET');
    // Two now; the newer one is held by a live run, so only the first is offered.
    const second = checkpoints('k.json').find((f) => f !== first)!;
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(at(`${second}.lock`), JSON.stringify({ pid: holder.pid, host: os.hostname(), startedAt: 1 }));
      const third = captureIo(fx.dir);
      expect(await runCli([...optimize(), '--max-calls', '2', '--out', 'k.json'], third)).toBe(3);
      expect(third.err()).toMatch(/note: an earlier run for k\.json stopped before it was done/);
      expect(third.err()).toContain(`--resume ${first} --max-calls 4\n`);
      expect(third.err()).not.toContain(second);
    } finally {
      holder.kill();
    }
    // The command as printed resumes the run, at the address its checkpoint records.
    const copied = new RegExp(`drpo optimize --resume ${first!.replace(/\./g, '\\.')}`).exec(again.err())![0];
    const resumed = captureIo(fx.dir);
    expect(await runCli([...copied.split(' ').slice(1), '--max-calls', '100000'], resumed)).toBe(0);
    expect(resumed.err()).toMatch(
      /^note: no --base-url given: resuming at http:\/\/127\.0\.0\.1:\d+\/v1, where this run's calls went\.$/m,
    );
    expect(resumed.err()).toMatch(/Resuming run cli-/);
    expect(validateArtifact(JSON.parse(readFileSync(at('k.json'), 'utf8'))).ok).toBe(true);
  });
});

describe('the same command again after a budget stop', () => {
  it('refuses to replace the result and offers to continue the run, with a budget that lets it go on', async () => {
    const again = () => [...optimize(), '--max-calls', '40', '--out', 'a.json'];
    expect(await runCli(again(), captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('a.json');
    const before = readFileSync(at('a.json'), 'utf8');
    fx.server.reset();
    const io = captureIo(fx.dir);
    expect(await runCli(again(), io)).toBe(1);
    // No "starts over" for a run that never starts: one message, three ways out.
    expect(io.err()).not.toMatch(/starts over/);
    expect(io.err()).toMatch(/--out "a\.json" already holds an alignment .*to replace it, pass --force\./);
    expect(io.err()).toContain(
      `To continue the earlier run instead, run:\n  drpo optimize --resume ${cp} --max-calls 80\n`,
    );
    expect(fx.server.requests).toHaveLength(0);
    expect(readFileSync(at('a.json'), 'utf8')).toBe(before);
    // The command as printed is not refused: it continues the run and replaces its own result.
    const copied = /drpo (optimize --resume .*)$/m.exec(io.err())![1]!.split(' ');
    const resumed = captureIo(fx.dir);
    // It goes on to its new budget (80 calls: a budget stop again, exit 3), past the 40 it had.
    expect(await runCli(copied, resumed)).toBe(3);
    expect(resumed.err()).toMatch(/Resuming run cli-/);
    expect(resumed.err()).toMatch(/calls 80\/80/);
    expect(readFileSync(at('a.json'), 'utf8')).not.toBe(before);
  });
});

describe('resuming', () => {
  it('a run whose budget is used says so before any call, and which option to raise', async () => {
    expect(await runCli([...optimize(), '--max-calls', '2', '--out', 'a.json'], captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('a.json');
    fx.server.reset();
    for (const extra of [[], ['--max-calls', '2']]) {
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), '--resume', cp!, ...extra], io)).toBe(1);
      expect(io.err()).toMatch(
        /This run's budget is already used: 2 of 2 calls\. Resume with a larger --max-calls to go on \(e\.g\. --max-calls 4\); the finished calls are not made again\./,
      );
      expect(fx.server.requests).toHaveLength(0);
    }
    expect(checkpoints('a.json')).toEqual([cp]);
  });

  it('--resume given another kind of file names what it is', async () => {
    writeFileSync(at('result.json'), kept());
    writeFileSync(at('report.json'), JSON.stringify({ format: 'drpo-eval', version: 1 }));
    const cases: [string, RegExp][] = [
      [
        'result.json',
        /"result\.json" is not a DRPO checkpoint file: it is an alignment file \(a run's result, written to --out\)\. --resume takes the checkpoint a stopped run keeps beside its --out \(<out>\.<run id>\.checkpoint\.json\)\./,
      ],
      [
        'report.json',
        /is not a DRPO checkpoint file: it is an evaluation report \(Export JSON in Evaluate, or drpo eval --out\)\. --resume/,
      ],
    ];
    for (const [file, message] of cases) {
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), '--resume', file], io)).toBe(1);
      expect(io.err()).toMatch(message);
    }
  });

  it('without --base-url, a checkpoint that does not record its address asks for it', async () => {
    expect(await runCli([...optimize(), '--max-calls', '2', '--out', 'a.json'], captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('a.json');
    const old = JSON.parse(readFileSync(at(cp!), 'utf8')) as Record<string, unknown>;
    delete old.endpoint;
    writeFileSync(at(cp!), JSON.stringify(old));
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--resume', cp!, '--max-calls', '100'], io)).toBe(1);
    expect(io.err()).toMatch(/Missing --base-url: the checkpoint ".*" does not record where its calls went/);
  });
});

describe('a server that needs a key', () => {
  it('the hint to copy says to add the key (never printing it); without it, the 401 says a key is needed', async () => {
    const server = await startScriptedServer({ apiKey: 'sk-SECRET-12345' });
    try {
      const io = captureIo(fx.dir);
      const run = ['optimize', '--base-url', server.url, '--model', 'scripted-small', '--max-calls', '2'];
      expect(await runCli([...run, '--api-key', 'sk-SECRET-12345'], io)).toBe(3);
      const hint =
        /To continue with a larger budget: (drpo optimize .* --max-calls 4) \(add your --api-key, or set DRPO_API_KEY\)$/m.exec(
          io.err(),
        );
      expect(hint).not.toBeNull();
      expect(io.err() + io.out()).not.toContain('SECRET');
      const copied = captureIo(fx.dir);
      expect(await runCli(hint![1]!.split(' ').slice(1), copied)).toBe(2);
      expect(copied.err()).toMatch(/HTTP 401/);
      expect(copied.err()).toMatch(/This server needs an API key: pass --api-key KEY, or set DRPO_API_KEY\./);
      expect(copied.err()).not.toMatch(/leave it out/);
    } finally {
      await server.close();
    }
  });
});

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateArtifact } from '../../../src/core/formats/alignment-file';
import { runCli, type CliIo } from '../../../src/cli/drpo';
import { startScriptedServer } from '../../fixtures/scripted-server';

function captureIo(cwd: string) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    env: {},
    cwd,
  };
  return { io, out: () => out, err: () => err };
}

const level = (prompt: string, score: string) => ({
  Prompt: prompt,
  'Evaluation of the prompt': { Helpfulness: { rationale: 'fine', score }, Clarity: { rationale: 'ok', score: '4' } },
});

describe('drpo (in-process)', () => {
  it('prints help for the program and every subcommand', async () => {
    for (const argv of [['--help'], ['optimize', '--help'], ['import-drpo', '-h'], ['eval', '--help']]) {
      const c = captureIo(tmpdir());
      expect(await runCli(argv, c.io)).toBe(0);
      expect(c.out()).toMatch(/^Usage: drpo/);
    }
  });

  it('refuses no command and unknown commands with exit 1', async () => {
    const none = captureIo(tmpdir());
    expect(await runCli([], none.io)).toBe(1);
    const c = captureIo(tmpdir());
    expect(await runCli(['optimise'], c.io)).toBe(1);
    expect(c.err()).toMatch(/unknown command "optimise"/);
  });

  it('suggests the closest command for a near miss, and nothing for a far one', async () => {
    const cases: [string, RegExp][] = [
      ['import', /unknown command "import"\. Did you mean import-drpo\?/],
      ['optimise', /Did you mean optimize\?/],
      ['evaluate', /Did you mean eval\?/],
    ];
    for (const [command, message] of cases) {
      const c = captureIo(tmpdir());
      expect(await runCli([command], c.io)).toBe(1);
      expect(c.err()).toMatch(message);
    }
    const far = captureIo(tmpdir());
    expect(await runCli(['xyzzy'], far.io)).toBe(1);
    expect(far.err()).not.toMatch(/Did you mean/);
  });

  it('says the command goes first when an option comes before it, and where the version is for -v', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--base-url', 'http://127.0.0.1:8080/v1', 'optimize', '--model', 'm'],
        /^drpo: unknown command "--base-url"\. The command goes first: drpo optimize --base-url …\n/,
      ],
      [
        ['--model', 'm'],
        /^drpo: unknown command "--model"\. The command goes first: optimize, eval, export or import-drpo\.\n/,
      ],
      [['-v'], /^drpo: unknown command "-v"\. Did you mean --version\?/],
      [['version'], /Did you mean --version\?/],
    ];
    for (const [argv, message] of cases) {
      const c = captureIo(tmpdir());
      expect(await runCli(argv, c.io)).toBe(1);
      expect(c.err()).toMatch(message);
    }
  });

  it('a misspelt --version or --help is named before "the command goes first"', async () => {
    const cases: [string[], RegExp][] = [
      [['--verison'], /^drpo: unknown command "--verison"\. Did you mean --version\?\n/],
      [['--hlep'], /^drpo: unknown command "--hlep"\. Did you mean --help\?\n/],
      [['-help'], /^drpo: unknown command "-help"\. Did you mean --help\?\n/],
      // An option of a command is not taken for one of them.
      [
        ['--seed', '3', 'optimize'],
        /^drpo: unknown command "--seed"\. The command goes first: drpo optimize --seed …\n/,
      ],
      [
        ['--name', 'x'],
        /^drpo: unknown command "--name"\. The command goes first: optimize, eval, export or import-drpo\.\n/,
      ],
    ];
    for (const [argv, message] of cases) {
      const c = captureIo(tmpdir());
      expect(await runCli(argv, c.io)).toBe(1);
      expect(c.err()).toMatch(message);
    }
  });

  it('--version prints the package version', async () => {
    const c = captureIo(tmpdir());
    expect(await runCli(['--version'], c.io)).toBe(0);
    const { version } = JSON.parse(readFileSync(path.resolve(process.cwd(), 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(c.out()).toBe(`drpo ${version}\n`);
  });

  it('"drpo help COMMAND" prints that command\'s help; a misspelt one gets the hint', async () => {
    for (const [command, usage] of [
      ['eval', /^Usage: drpo eval /],
      ['optimize', /^Usage: drpo optimize /],
      ['import-drpo', /^Usage: drpo import-drpo /],
    ] as const) {
      const c = captureIo(tmpdir());
      expect(await runCli(['help', command], c.io)).toBe(0);
      expect(c.out()).toMatch(usage);
    }
    const bare = captureIo(tmpdir());
    expect(await runCli(['help'], bare.io)).toBe(0);
    expect(bare.out()).toMatch(/^Usage: drpo <command>/);
    const typo = captureIo(tmpdir());
    expect(await runCli(['help', 'import'], typo.io)).toBe(1);
    expect(typo.err()).toMatch(/Did you mean import-drpo\?/);
  });
});

describe("option errors, in the CLI's words", () => {
  it("say what an option needs and where the help is, not parseArgs' own text", async () => {
    const cases: [string[], RegExp][] = [
      [['eval', '--out'], /^drpo eval: --out needs a value \(a file path\)\.\n {2}Run "drpo eval --help"/],
      [
        ['optimize', '--max-calls'],
        /^drpo optimize: --max-calls needs a value \(a number\)\.\n {2}Run "drpo optimize --help"/,
      ],
      [['eval', '--base-url', '--model', 'm'], /--base-url needs a value \(a URL[^)]*\), not the option after it/],
      [['optimize', '--json=yes'], /^drpo optimize: --json takes no value/],
      // An option with a short form: parseArgs names both ("'-h, --help'"); the long one is said.
      [['optimize', '--help=x'], /^drpo optimize: --help takes no value: give it alone\./],
      [['eval', 'report.json'], /^drpo eval: Unexpected argument "report\.json": every value goes after its option/],
      [
        ['eval', '--ot', 'x.json'],
        /^drpo eval: Unknown option '--ot'\. Did you mean --out\?\n {2}Run "drpo eval --help"/,
      ],
      [
        ['import-drpo', 'a.json', '--out'],
        /^drpo import-drpo: --out needs a value \(a file path\)\.\n {2}Run "drpo import-drpo --help"/,
      ],
    ];
    for (const [argv, message] of cases) {
      const c = captureIo(tmpdir());
      expect(await runCli(argv, c.io)).toBe(1);
      expect(c.err()).toMatch(message);
      expect(c.err()).not.toMatch(/<value>|argument missing|positional/);
    }
  });

  it('refuse an option that takes one value given twice with different values (parseArgs kept the last)', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['optimize', '--train', 'a.jsonl', '--train', 'b.jsonl'],
        /^drpo optimize: --train is given twice \("a\.jsonl" and "b\.jsonl"\): give it once\.\n {2}Run "drpo optimize --help"/,
      ],
      [['eval', '--baseline', '--model', 'x', '--model=y'], /^drpo eval: --model is given twice \("x" and "y"\)/],
      [['import-drpo', 'a.json', '--out', 'b.json', '--out', 'c.json'], /^drpo import-drpo: --out is given twice/],
    ];
    for (const [argv, message] of cases) {
      const c = captureIo(tmpdir());
      expect(await runCli(argv, c.io)).toBe(1);
      expect(c.err()).toMatch(message);
    }
    // A key is not echoed into the message.
    const c = captureIo(tmpdir());
    expect(await runCli(['eval', '--api-key', 'sk-one', '--api-key', 'sk-two'], c.io)).toBe(1);
    expect(c.err()).toMatch(/--api-key is given twice: give it once\./);
    expect(c.err()).not.toMatch(/sk-one|sk-two/);
    // The same value twice changes nothing, and a repeatable option repeats: both go on to the next check.
    const same = captureIo(tmpdir());
    expect(await runCli(['optimize', '--seed', '3', '--seed', '3'], same.io)).toBe(1);
    expect(same.err()).toMatch(/Missing --base-url/);
    const twice = captureIo(tmpdir());
    expect(await runCli(['eval', '--alignment', 'a.json', '--alignment', 'b.json'], twice.io)).toBe(1);
    expect(twice.err()).not.toMatch(/given twice/);
  });
});

describe('drpo import-drpo', () => {
  it('converts a DRPO published file into a valid alignment file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-import-'));
    writeFileSync(
      path.join(dir, 'tiny-model.json'),
      JSON.stringify({
        'level 2': level('Be helpful and kind.', '5'),
        'level 1': level('You are a helpful assistant.', '3'),
      }),
    );
    const c = captureIo(dir);
    expect(await runCli(['import-drpo', 'tiny-model.json', '--out', 'out.json'], c.io)).toBe(0);
    expect(c.out()).toMatch(/Imported the final prompt of 2 levels \(all scored\) for tiny-model/);
    const r = validateArtifact(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')));
    expect(r.ok && r.artifact.systemPrompt).toBe('Be helpful and kind.');
    expect(r.ok && r.artifact.lineage.map((l) => l.reward)).toEqual([3.5, 4.5]);
  });

  it('converts an examples file as examples for any model (its file name is no model)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-import-'));
    writeFileSync(path.join(dir, 'icl-examples.json'), JSON.stringify({ 'What is rain?': '<START>Water.<END>' }));
    const c = captureIo(dir);
    expect(await runCli(['import-drpo', 'icl-examples.json', '--out', 'icl.json'], c.io)).toBe(0);
    expect(c.out()).toMatch(/ for any model → /);
    expect(c.out()).not.toMatch(/for icl-examples/);
  });

  it('explains missing files, wrong formats and missing arguments (exit 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-import-'));
    writeFileSync(path.join(dir, 'notes.json'), '{"hello": "world", "n": 1}');
    writeFileSync(path.join(dir, 'bin.json'), new Uint8Array([0, 1, 2, 255]));
    writeFileSync(
      path.join(dir, 'lower.json'),
      JSON.stringify({ 'level 1': level('a', '3'), 'level 2': { Score: 1 } }),
    );
    writeFileSync(path.join(dir, 'blank.json'), JSON.stringify({ 'level 1': level('  ', '3') }));
    const cases: [string[], RegExp][] = [
      [['import-drpo', 'missing.json'], /Cannot read the file "missing.json": no such file/],
      [['import-drpo', 'notes.json'], /"notes.json" could not be imported/],
      [['import-drpo', 'bin.json'], /not UTF-8/],
      [['import-drpo'], /exactly one FILE/],
      [['import-drpo', 'a.json', 'b.json'], /exactly one FILE/],
      // The file is named once, and an empty prompt is told in words, not as a field check.
      [
        ['import-drpo', 'lower.json'],
        /^drpo import-drpo: "lower\.json" could not be imported: "level 2" has no "Prompt" text\.\n/,
      ],
      [['import-drpo', 'blank.json'], /could not be imported: the "Prompt" of "level 1", the last level, is empty/],
    ];
    for (const [argv, message] of cases) {
      const c = captureIo(dir);
      expect(await runCli(argv, c.io)).toBe(1);
      expect(c.err()).toMatch(message);
      expect(c.err()).not.toMatch(/systemPrompt:/);
    }
  });

  it('says, in the help and after importing, that unscored levels are left out of the lineage', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-import-'));
    writeFileSync(
      path.join(dir, 'm.json'),
      JSON.stringify({ 'level 1': { Prompt: 'one' }, 'level 2': level('two', '4') }),
    );
    const c = captureIo(dir);
    expect(await runCli(['import-drpo', 'm.json', '--out', 'o.json'], c.io)).toBe(0);
    expect(c.out()).toMatch(/of 2 levels \(1 scored; unscored levels are left out of its lineage\)/);
    const r = validateArtifact(JSON.parse(readFileSync(path.join(dir, 'o.json'), 'utf8')));
    expect(r.ok && r.artifact.lineage.map((l) => l.prompt)).toEqual(['two']);
    const help = captureIo(dir);
    await runCli(['import-drpo', '--help'], help.io);
    expect(help.out()).not.toMatch(/earlier levels as its lineage/);
    expect(help.out()).toMatch(
      /levels that carry scores as its\s+lineage \(levels without a readable score are left out/,
    );
  });
});

describe('bin/drpo.mjs, the bundled command (subprocess)', () => {
  it('runs --help', async () => {
    const bin = path.resolve(process.cwd(), 'bin/drpo.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help'], { timeout: 20_000 });
    expect(stdout).toMatch(/^Usage: drpo <command>/);
    expect(stdout).toMatch(/optimize/);
  });

  it('knows its version (bundled from package.json)', async () => {
    const bin = path.resolve(process.cwd(), 'bin/drpo.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--version'], { timeout: 20_000 });
    expect(stdout).toMatch(/^drpo \d+\.\d+\.\d+/);
  });

  it('exits 1 on bad arguments', async () => {
    const bin = path.resolve(process.cwd(), 'bin/drpo.mjs');
    const err = await promisify(execFile)(process.execPath, [bin, 'optimize', '--frobnicate'], {
      timeout: 20_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr).toMatch(/Unknown option '--frobnicate'/);
  });
});

describe('Ctrl+C (subprocess)', () => {
  it('stops cooperatively with exit 130 and keeps the checkpoint', async () => {
    const server = await startScriptedServer({ delayMs: 30 });
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-sigint-'));
    try {
      const bin = path.resolve(process.cwd(), 'bin/drpo.mjs');
      const args = [bin, 'optimize', '--base-url', server.url, '--model', 'scripted-small', '--preset', 'quick'];
      const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const found = () => readdirSync(dir).find((f) => /^alignment\.json\.cli-[\w-]+\.checkpoint\.json$/.test(f));
      const deadline = Date.now() + 20_000;
      while (!found() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const checkpoint = path.join(dir, found()!);
      expect(existsSync(checkpoint)).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toMatch(/Resume with: drpo optimize/);
      expect(existsSync(checkpoint)).toBe(true);
      expect(existsSync(path.join(dir, 'alignment.json'))).toBe(false);
    } finally {
      await server.close();
    }
  }, 40_000);

  it('a reader that goes away (drpo optimize --json | head) stops the run as Ctrl+C does, without a crash', async () => {
    const server = await startScriptedServer({ delayMs: 30 });
    const dir = mkdtempSync(path.join(tmpdir(), 'drpo-epipe-'));
    try {
      const bin = path.resolve(process.cwd(), 'bin/drpo.mjs');
      const args = [bin, 'optimize', '--base-url', server.url, '--model', 'scripted-small', '--json'];
      const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Like `head -n 1`: read the first event, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(stderr).not.toMatch(/Unhandled 'error' event|EPIPE/);
      expect(code).toBe(130);
      expect(stderr).toMatch(/Interrupted\./);
    } finally {
      await server.close();
    }
  }, 40_000);
});

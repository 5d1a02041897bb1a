// The package a user installs: `npm pack` + `npm install -g ./drpo-studio-*.tgz` + `drpo --help`.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstallCli, type InstalledCli } from '../../fixtures/install-cli';

const run = promisify(execFile);

describe('the packed drpo-studio package', () => {
  let cli: InstalledCli;
  beforeAll(() => {
    cli = packAndInstallCli();
  }, 60_000);
  afterAll(() => rmSync(cli.dir, { recursive: true, force: true }));

  it('holds only what runs: the launcher, the bundle, README and package.json', () => {
    expect(cli.files).toEqual(['README.md', 'bin/drpo.mjs', 'dist-cli/drpo.mjs', 'package.json']);
  });

  it('installs without dependencies and keeps the browser engine out of the bundle', () => {
    const manifest = JSON.parse(readFileSync(path.join(cli.packageDir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(path.join(cli.packageDir, 'node_modules'))).toBe(false);
    const bundle = readFileSync(path.join(cli.packageDir, 'dist-cli', 'drpo.mjs'), 'utf8');
    // `drpo export --format webllm` writes a module for the user's own page, which installs and imports the engine:
    // those two lines of its text are the only mention allowed. The engine's code, or an import of it, is not.
    const snippetText = ['(npm install @mlc-ai/web-llm)', `"import { CreateMLCEngine } from '@mlc-ai/web-llm';"`];
    const code = snippetText.reduce((b, line) => b.replace(line, ''), bundle);
    expect(code).not.toMatch(/@mlc-ai\/web-llm|prebuiltAppConfig/);
  });

  it('runs `drpo --help` and `drpo eval --help` from the global bin', async () => {
    const help = await run(cli.bin, ['--help'], { timeout: 20_000 });
    expect(help.stdout).toMatch(/^Usage: drpo <command>/);
    const evalHelp = await run(cli.bin, ['eval', '--help'], { timeout: 20_000 });
    expect(evalHelp.stdout).toMatch(/^Usage: drpo eval/);
  });

  it('reports bad arguments with exit 1', async () => {
    const err = (await run(cli.bin, ['optimize', '--frobnicate'], { timeout: 20_000 }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/Unknown option '--frobnicate'/);
  });
});

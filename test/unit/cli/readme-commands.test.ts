/**
 * The README's "Command line" block, run as written, in order, in an empty folder, against the scripted server:
 * its commands once failed in a row (the last wrote over the first's --out and was stopped by its guard).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/drpo';
import { captureIo, cliFixture } from '../../support/cli-io';

const fx = cliFixture('drpo-readme-');

/** The first `sh` block after the "## Command line" heading: its `npx drpo` lines. */
function readmeCommands(): string[][] {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Command line'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((l) => l.startsWith('npx drpo '))
    .map((l) =>
      l
        .replace(/^npx drpo /, '')
        .trim()
        .split(/\s+/),
    );
}

describe('README: the command-line block', () => {
  it('runs as written, one command after the other, each with exit 0', { timeout: 60_000 }, async () => {
    const commands = readmeCommands();
    expect(commands.map((c) => c[0])).toEqual(['optimize', 'eval', 'export', 'import-drpo']);
    // The file the README converts: a published DRPO prompt file of two levels.
    const level = (prompt: string) => ({
      Prompt: prompt,
      'Evaluation of the prompt': { Helpfulness: { rationale: 'r', score: '4' } },
    });
    writeFileSync(
      path.join(fx.dir, 'published-prompt.json'),
      JSON.stringify({
        'level 1': level('You are a helpful assistant.'),
        'level 2': level('You are a careful, helpful assistant.'),
      }),
    );
    for (const argv of commands) {
      // The README's endpoint and model are placeholders: the scripted server's stand in for them.
      const args = argv.map((a) =>
        a === 'http://127.0.0.1:8080/v1' ? fx.server.url : a === 'my-model' ? 'scripted-small' : a,
      );
      const io = captureIo(fx.dir);
      const code = await runCli(args, io);
      expect(code, `drpo ${argv.join(' ')}\n${io.err()}`).toBe(0);
    }
  });
});

/**
 * A bad argument or a bad endpoint never costs the user a file: outputs are checked before any work
 * (folder, device, missing folder, the same file as an input), written through symlinks with their
 * permissions kept, a run or evaluation that read nothing writes nothing, a stopped evaluation never
 * replaces a complete report, and a damaged checkpoint is refused with its field named.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/drpo';
import { buildRunConfig } from '../../../src/core/plan/presets';
import { emptyStats } from '../../../src/core/calls/call-gateway';
import { captureIo, captureIoStoppedOnceAnswered, cliFixture } from '../../support/cli-io';
import { sampleArtifact } from '../../support/artifacts';

const fx = cliFixture('drpo-out-');

const optimize = () => ['optimize', '--base-url', fx.server.url, '--model', 'scripted-small', '--preset', 'quick'];
const evaluate = () => ['eval', '--base-url', fx.server.url, '--model', 'scripted-small'];
const chatCalls = () => fx.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
const at = (f: string) => path.join(fx.dir, f);

describe('outputs are checked before any work', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['--out equal to --resume', () => ['--resume', 'cp.json', '--out', 'cp.json'], /is also your --resume file/],
    ['--out equal to --train', () => ['--train', 'train.jsonl', '--out', 'train.jsonl'], /is also your --train file/],
    ['--out naming a folder', () => ['--out', 'sub'], /"sub" is a folder/],
    ['--out in a missing folder', () => ['--out', 'nowhere/a.json'], /the folder ".*nowhere" does not exist/],
    ['an empty --out', () => ['--out', ''], /--out needs a file name/],
    // A pipe of our own, never a system device: were the check to fail, the test must not replace /dev/null.
    ['--out naming a pipe', () => ['--out', 'pipe'], /not a regular file/],
    ['--out a broken link', () => ['--out', 'dangling.json'], /a link to a file that does not exist/],
  ];
  for (const [label, extra, message] of cases) {
    it(`optimize: ${label}`, async () => {
      writeFileSync(at('cp.json'), '{"keep": true}');
      writeFileSync(at('train.jsonl'), '{"query": "Why is the sky blue?"}\n{"query": "What is rain?"}\n');
      if (!existsSync(at('sub'))) await import('node:fs/promises').then((fs) => fs.mkdir(at('sub')));
      if (!existsSync(at('pipe'))) execFileSync('mkfifo', [at('pipe')]);
      if (!readdirSync(fx.dir).includes('dangling.json')) symlinkSync('nowhere.json', at('dangling.json'));
      const before = readdirSync(fx.dir).sort();
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), ...extra()], io)).toBe(1);
      expect(io.err()).toMatch(message);
      // Nothing was asked of the endpoint, no file changed, none was added.
      expect(chatCalls()).toBe(0);
      expect(readFileSync(at('cp.json'), 'utf8')).toBe('{"keep": true}');
      expect(readFileSync(at('train.jsonl'), 'utf8')).toContain('sky blue');
      expect(readdirSync(fx.dir).sort()).toEqual(before);
    });
  }

  it('eval: --out equal to an --alignment file, or --csv equal to --out', async () => {
    writeFileSync(at('a.json'), JSON.stringify(sampleArtifact()));
    const io = captureIo(fx.dir);
    expect(await runCli([...evaluate(), '--alignment', 'a.json', '--out', 'a.json'], io)).toBe(1);
    expect(io.err()).toMatch(/--out "a.json" is also your --alignment file/);
    const io2 = captureIo(fx.dir);
    expect(await runCli([...evaluate(), '--baseline', '--out', 'r.json', '--csv', 'r.json'], io2)).toBe(1);
    expect(io2.err()).toMatch(/--csv "r.json" is also your --out file/);
    expect(chatCalls()).toBe(0);
    expect(readdirSync(fx.dir)).toEqual(['a.json']);
  });
});

describe('outputs are written where the user meant, as they were', () => {
  it('a symlinked --out is written through (the link stays a link) and a file keeps its permissions', async () => {
    writeFileSync(at('target.json'), 'old');
    chmodSync(at('target.json'), 0o640);
    symlinkSync('target.json', at('link.json'));
    const io = captureIo(fx.dir);
    // --force: a file already at --out is replaced only when asked.
    expect(await runCli([...optimize(), '--max-calls', '400', '--out', 'link.json', '--force'], io)).toBe(0);
    expect(lstatSync(at('link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(at('target.json'), 'utf8'))).toMatchObject({ format: 'drpo-alignment' });
    expect(statSync(at('target.json')).mode & 0o777).toBe(0o640);
  });
});

describe('nothing read, nothing written', () => {
  it('optimize: an endpoint whose every reply is empty fails (exit 2) and leaves --out alone', async () => {
    writeFileSync(at('a.json'), 'earlier result');
    fx.server.setFaults({ mode: 'empty', paths: ['/chat/completions'] });
    const io = captureIo(fx.dir);
    // --force: without it the run would refuse to start; with it, a failed run still leaves the file alone.
    expect(await runCli([...optimize(), '--out', 'a.json', '--force'], io)).toBe(2);
    expect(io.err()).toMatch(/No prompt could be scored: every answer the model gave was empty/);
    expect(readFileSync(at('a.json'), 'utf8')).toBe('earlier result');
    // Nothing measured, nothing to resume: a resume would replay the same empty replies from the checkpoint.
    expect(io.err()).toMatch(/Nothing was measured, so there is nothing to resume/);
    expect(io.err()).not.toMatch(/Resume with|Check --base-url/);
    expect(readdirSync(fx.dir).filter((f) => f.includes('checkpoint'))).toEqual([]);
  });

  it('eval: not one judge reply read fails (exit 2) and leaves --out alone', async () => {
    writeFileSync(at('r.json'), 'earlier report');
    fx.server.setFaults({ mode: 'empty', paths: ['/chat/completions'] });
    const io = captureIo(fx.dir);
    // --force: past the refusal of a file already at --out, to the run that fails (and still leaves it alone).
    expect(await runCli([...evaluate(), '--baseline', '--limit', '3', '--out', 'r.json', '--force'], io)).toBe(2);
    expect(io.err()).toMatch(/No answer could be scored/);
    expect(readFileSync(at('r.json'), 'utf8')).toBe('earlier report');
  });

  it('eval: a stopped evaluation never replaces a report already there', async () => {
    writeFileSync(at('r.json'), 'complete earlier report');
    fx.server.setDelay(40);
    const io = captureIoStoppedOnceAnswered(fx.dir);
    // Even with --force (without it the evaluation refuses to start): a partial report replaces nothing.
    expect(await runCli([...evaluate(), '--baseline', '--out', 'r.json', '--csv', 'r.csv', '--force'], io)).toBe(130);
    expect(readFileSync(at('r.json'), 'utf8')).toBe('complete earlier report');
    expect(JSON.parse(readFileSync(at('r.partial.json'), 'utf8'))).toMatchObject({ complete: false });
    expect(io.err()).toMatch(/Partial report written to .*r\.partial\.json \(.*r\.json is left as it was\)/);
    // No CSV was there: the partial one takes its name.
    expect(existsSync(at('r.csv'))).toBe(true);
  });
});

describe('checkpoints', () => {
  it('a budget reached before the first scored prompt keeps the checkpoint and says how to continue', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--max-calls', '2', '--out', 'a.json'], io)).toBe(3);
    expect(io.err()).toMatch(/before any prompt was scored/);
    // With a number to paste (twice the budget), as the resume refusal's "e.g." gives one.
    const hint = /To continue with a larger budget: drpo (optimize .*--resume .*--max-calls 4)$/m.exec(io.err());
    expect(hint).not.toBeNull();
    const [cp] = readdirSync(fx.dir).filter((f) => f.endsWith('.checkpoint.json'));
    expect(cp).toBeDefined();
    const pasted = captureIo(fx.dir);
    expect(await runCli(hint![1]!.split(' '), pasted), pasted.err()).toBe(3);
    expect(pasted.err()).toMatch(/Resuming run cli-/);
    const more = ['--resume', cp!, '--out', 'a.json', '--max-calls', '100000'];
    expect(await runCli([...optimize(), ...more], captureIo(fx.dir))).toBe(0);
  });

  it('Ctrl+C before anything finished points to no file that does not exist', async () => {
    const ctrl = new AbortController();
    // The run has started and its first calls hang when Ctrl+C comes.
    const io = captureIo(fx.dir, {
      signal: ctrl.signal,
      onOut: (s) => {
        if (!s.includes('"run-started"')) return;
        fx.server.setDelay(2000);
        setTimeout(() => ctrl.abort(), 100);
      },
    });
    expect(await runCli([...optimize(), '--out', 'a.json', '--json'], io)).toBe(130);
    expect(readdirSync(fx.dir)).toEqual([]);
    expect(io.err()).toMatch(/Nothing was finished yet, so there is nothing to resume/);
    expect(io.err()).not.toMatch(/Resume with/);
  });

  const role = { engine: 'openai' as const, modelId: 'scripted-small', endpointId: 'cli' };
  const valid = () => ({
    format: 'drpo-checkpoint',
    version: 1,
    runId: 'r1',
    config: buildRunConfig('quick', {
      roles: { policy: role },
      trainQueries: [{ id: 'q1', text: 'Why is the sky blue?' }],
    }),
    calls: {},
    nodes: [],
    stats: emptyStats(),
    savedAt: 0,
  });
  const damaged: [string, (cp: ReturnType<typeof valid>) => void, RegExp][] = [
    ['empty settings', (cp) => (cp.config.settings = {} as never), /config\.settings/],
    [
      'no held-out queries list',
      (cp) => delete (cp.config as Partial<typeof cp.config>).validationQueries,
      /config\.validationQueries/,
    ],
    ['a null node', (cp) => (cp.nodes = [null as never]), /nodes\[0\]: must be an object/],
    ['a call that is not a reply', (cp) => (cp.calls = { k: 'junk' }), /calls\["k…"\]: not a model reply/],
    ['examples that are not a list', (cp) => (cp.config.icl = 'x' as never), /config\.icl/],
    ['a depth in words', (cp) => (cp.config.settings.depth = 'five' as never), /config\.settings: .*[Dd]epth/],
    ['an empty starting prompt', (cp) => (cp.config.initialPrompt = ' '), /config\.initialPrompt/],
    ['no training queries', (cp) => (cp.config.trainQueries = []), /config\.trainQueries/],
    [
      'an unknown preset',
      (cp) => (cp.config.preset = 'fast' as never),
      /config\.preset: must be quick, paper or thorough/,
    ],
    [
      'an endpoint that is not an address',
      (cp) => ((cp as { endpoint?: unknown }).endpoint = 5),
      /endpoint: must be text/,
    ],
  ];
  for (const [label, spoil, field] of damaged) {
    it(`a damaged checkpoint is refused with its field named: ${label}`, async () => {
      const cp = valid();
      spoil(cp);
      writeFileSync(at('cp.json'), JSON.stringify(cp));
      const io = captureIo(fx.dir);
      expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', 'cp.json'], io)).toBe(1);
      expect(io.err()).toMatch(/"cp\.json" is a damaged DRPO checkpoint/);
      expect(io.err()).toMatch(field);
      expect(io.err()).not.toMatch(/Cannot read properties|is not a function|NaN/);
      expect(chatCalls()).toBe(0);
    });
  }

  it('the undamaged checkpoint resumes (the cases above differ from it by their one field)', async () => {
    writeFileSync(at('cp.json'), JSON.stringify(valid()));
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', 'cp.json', '--out', 'a.json'], io)).toBe(
      0,
    );
  });

  it('junk in an optional stat (prompt reads, outages) is left out, not a reason to refuse or break the resume', async () => {
    const cp = valid();
    const junk = { policy: null, judge: 'x', optimizer: { most: 5, cut: 7 }, nobody: { most: 1 } };
    cp.stats = { ...cp.stats, promptReads: junk as never, outages: {} as never };
    writeFileSync(at('cp.json'), JSON.stringify(cp));
    const io = captureIo(fx.dir);
    const argv = ['optimize', '--base-url', fx.server.url, '--resume', 'cp.json', '--out', 'a.json'];
    expect(await runCli(argv, io)).toBe(0);
    expect(io.err()).not.toMatch(/Cannot read properties|is not a function|NaN|undefined/);
    expect(chatCalls()).toBeGreaterThan(0);
  });
});

describe('values the CLI used to take', () => {
  const cases: [string, string[], RegExp][] = [
    ['an empty --seed', ['--seed', ''], /--seed must be a whole number/],
    // It is a whole number ≥ 0: the message names the limit it passes.
    [
      'a --seed past 2^53',
      ['--seed', '99999999999999999999'],
      /--seed must be a whole number from 0 to 9007199254740991 \(got "99999999999999999999"\)/,
    ],
    ['a --seed in exponent form', ['--seed', '1e3'], /--seed must be a whole number ≥ 0 \(got "1e3"\)/],
    ['a hexadecimal --max-calls', ['--max-calls', '0x10'], /--max-calls must be a whole number/],
    ['a --concurrency of 2.0', ['--concurrency', '2.0'], /--concurrency must be a whole number/],
    ['a hexadecimal --max-reply-mb', ['--max-reply-mb', '0x10'], /--max-reply-mb must be a positive decimal number/],
    ['a --max-minutes in exponent form', ['--max-minutes', '1e3'], /--max-minutes must be a positive decimal number/],
    // Positive, but not written as a plain decimal: the message says which form is taken.
    [
      'a tiny --max-minutes in exponent form',
      ['--max-minutes', '1e-9'],
      /--max-minutes must be a positive decimal number such as 2\.5 \(got "1e-9"\)/,
    ],
    [
      'a tiny --max-reply-mb in exponent form',
      ['--max-reply-mb', '1e-9'],
      /--max-reply-mb must be a positive decimal number such as 2\.5 \(got "1e-9"\)/,
    ],
    ['a --concurrency of 0', ['--concurrency', '0'], /--concurrency must be a whole number from 1 to 64 \(got "0"\)/],
    [
      'a --timeout-ms past a day',
      ['--timeout-ms', '99999999999'],
      /--timeout-ms must be a whole number from 1 to 86400000/,
    ],
  ];
  for (const [label, extra, message] of cases) {
    it(label, async () => {
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), ...extra], io)).toBe(1);
      expect(io.err()).toMatch(message);
    });
  }

  it('a negative number to any numeric flag, as --flag -1 or --flag=-1, says what the flag takes', async () => {
    const evalBaseline = [...evaluate(), '--baseline'];
    const cases: [string[], string, string][] = [
      [optimize(), 'seed', '≥ 0'],
      [optimize(), 'concurrency', 'from 1 to 64'],
      [optimize(), 'timeout-ms', 'from 1 to 86400000'],
      [optimize(), 'outage-grace-ms', 'from 0 to 3600000'],
      [optimize(), 'max-calls', '≥ 1'],
      [optimize(), 'max-tokens-budget', '≥ 1'],
      [evalBaseline, 'limit', '≥ 1'],
      [evalBaseline, 'max-tokens', 'from 16 to 32768'],
      [evalBaseline, 'icl-k', '≥ 0'],
    ];
    for (const [command, flag, range] of cases) {
      for (const given of [[`--${flag}`, '-1'], [`--${flag}=-1`]]) {
        const io = captureIo(fx.dir);
        expect(await runCli([...command, ...given], io)).toBe(1);
        // The flag's whole range, as for any other refused value (an upper bound included).
        expect(io.err()).toContain(`--${flag} must be a whole number ${range} (got "-1").`);
        expect(io.err()).not.toMatch(/ambiguous/);
      }
    }
    for (const flag of ['max-minutes', 'max-reply-mb']) {
      for (const given of [[`--${flag}`, '-0.5'], [`--${flag}=-0.5`]]) {
        const io = captureIo(fx.dir);
        expect(await runCli([...optimize(), ...given], io)).toBe(1);
        expect(io.err()).toContain(`--${flag} must be a positive decimal number such as 2.5 (got "-0.5").`);
      }
    }
    expect(chatCalls()).toBe(0);
  });

  it('a starting prompt file with a NUL byte', async () => {
    writeFileSync(at('p.txt'), 'Be kind.\u0000');
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--initial-prompt-file', 'p.txt'], io)).toBe(1);
    expect(io.err()).toMatch(/contains control characters/);
  });

  it('eval: an alignment file that is not UTF-8, and one with an empty prompt', async () => {
    writeFileSync(
      at('latin.json'),
      Buffer.from(JSON.stringify(sampleArtifact({ systemPrompt: 'Caf\u00e9' })), 'latin1'),
    );
    writeFileSync(at('empty.json'), JSON.stringify(sampleArtifact({ systemPrompt: ' ' })));
    const io = captureIo(fx.dir);
    expect(await runCli([...evaluate(), '--alignment', 'latin.json'], io)).toBe(1);
    expect(io.err()).toMatch(/"latin\.json" is not UTF-8 text\. Save it as UTF-8 \(JSON\)/);
    const io2 = captureIo(fx.dir);
    expect(await runCli([...evaluate(), '--alignment', 'empty.json'], io2)).toBe(1);
    expect(io2.err()).toMatch(/systemPrompt: must not be empty/);
  });

  it('eval: a malformed line of --queries is skipped and told, as optimize does', async () => {
    writeFileSync(at('q.jsonl'), '{"query": "What is rain?"}\n{oops\n{"query": "Why is the sky blue?"}\n');
    const io = captureIo(fx.dir);
    expect(await runCli([...evaluate(), '--baseline', '--queries', 'q.jsonl', '--out', 'r.json'], io)).toBe(0);
    expect(io.err()).toMatch(/Read 2 queries from q\.jsonl/);
    expect(io.err()).toMatch(/warning: skipped line 2 of q\.jsonl/);
  });

  it('eval: counts agree with their nouns (1 query, 1 duplicate)', async () => {
    writeFileSync(at('one.txt'), 'What is rain?\nWhat is rain?\n');
    const io = captureIo(fx.dir);
    expect(await runCli([...evaluate(), '--baseline', '--queries', 'one.txt', '--out', 'r1.json'], io)).toBe(0);
    expect(io.err()).toMatch(/Read 1 query from one\.txt \(skipped 1 duplicate\)\./);
    expect(io.out()).toMatch(/\(1 query: 1 regular, 0 unsafe;/);
  });
});

describe('files written beside --out, and runs sharing one', () => {
  it('the closest-candidate file beside --out is checked like --out: it never replaces (or removes) an input', async () => {
    writeFileSync(at('t.closest.json'), '{"query": "Why is the sky blue?"}\n{"query": "What is rain?"}\n');
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--train', 't.closest.json', '--out', 't.json'], io)).toBe(1);
    expect(io.err()).toMatch(
      /closest-candidate file ".*t\.closest\.json" \(written beside --out\) is also your --train file/,
    );
    expect(readFileSync(at('t.closest.json'), 'utf8')).toContain('sky blue');
    expect(chatCalls()).toBe(0);
  });

  it('a second run on the same --out stops at once instead of replacing the first one’s result', async () => {
    // The lock a live run holds: a process that is alive (our parent), on this machine.
    const lock = { pid: process.ppid, host: hostname(), startedAt: Date.now() };
    writeFileSync(at('a.json.lock'), JSON.stringify(lock));
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--out', 'a.json'], io)).toBe(1);
    expect(io.err()).toMatch(/The output file "a\.json" is in use by another drpo process \(pid \d+/);
    expect(chatCalls()).toBe(0);
    expect(readdirSync(fx.dir)).toEqual(['a.json.lock']);
  });

  it('--out through a linked folder is the same file as through the real one (one lock)', async () => {
    mkdirSync(at('real'));
    symlinkSync('real', at('link'));
    const lock = { pid: process.ppid, host: hostname(), startedAt: Date.now() };
    writeFileSync(at('real/a.json.lock'), JSON.stringify(lock));
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--out', 'link/a.json'], io)).toBe(1);
    expect(io.err()).toMatch(/The output file "link\/a\.json" is in use/);
    expect(chatCalls()).toBe(0);
  });

  it('a file name too long for the checkpoint beside it is refused before any call', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--out', `${'n'.repeat(200)}.json`], io)).toBe(1);
    expect(io.err()).toMatch(/the file name is too long/);
    expect(chatCalls()).toBe(0);
  });

  it('a run name longer than a file may hold, of several lines or with a tab, is refused up front, saying which', async () => {
    const cases: [string, string][] = [
      ['x'.repeat(201), 'The run name has 201 characters; the limit is 200.'],
      ['one\ntwo', 'The run name contains a line break: keep it to one line.'],
      // One line: "must be one line" sent the user looking for a line break that was not there.
      ['Tabs\there', 'The run name contains a tab: use spaces instead.'],
      ['nul\u0000here', 'The run name contains control characters (such as NUL): type it as plain text.'],
    ];
    for (const [name, message] of cases) {
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), '--name', name], io)).toBe(1);
      expect(io.err()).toBe(`drpo optimize: ${message}\n  Run "drpo optimize --help" for all options.\n`);
    }
    expect(chatCalls()).toBe(0);
  });

  it('an empty --name (or only spaces) is refused, not read as no name; one with spaces around is trimmed', async () => {
    for (const name of ['', '   ']) {
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), '--name', name], io)).toBe(1);
      expect(io.err()).toBe(
        'drpo optimize: --name is empty: give a name, or leave --name out to use the default ("DRPO Quick").\n' +
          '  Run "drpo optimize --help" for all options.\n',
      );
    }
    expect(chatCalls()).toBe(0);
    const io = captureIo(fx.dir);
    await runCli([...optimize(), '--name', '  Kind  ', '--out', 'named.json'], io);
    expect(JSON.parse(readFileSync(at('named.json'), 'utf8')).name).toBe('Kind');
  });

  it('--validation holding every training question names the cause: the same file, or all of it held out', async () => {
    writeFileSync(at('q.txt'), 'Why is the sky blue?\nWhat is rain?\n');
    writeFileSync(at('more.txt'), 'What is rain?\nWhy  is the sky blue?\nWhat is snow?\n');
    const fix = 'Give --validation a file of other questions, or leave it out to hold some out of the training file.';
    const same = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--train', 'q.txt', '--validation', './q.txt'], same)).toBe(1);
    expect(same.err()).toContain(
      'drpo optimize: --train and --validation are the same file ("./q.txt"): every training question would be ' +
        `held out (held-out questions are never trained on), so none is left for the search. ${fix}\n` +
        '  Run "drpo optimize --help" for all options.\n',
    );
    const all = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--train', 'q.txt', '--validation', 'more.txt'], all)).toBe(1);
    expect(all.err()).toContain(
      'drpo optimize: Every question of the training file "q.txt" is also in the validation file "more.txt" ' +
        `(held-out questions are never trained on), so none is left for the search. ${fix}\n`,
    );
    expect(chatCalls()).toBe(0);
  });

  it('questions in both --train and --validation (whitespace aside) are held out and said so', async () => {
    const lines = ['Why is the sky blue?', 'What is rain?', 'How do bees fly?', 'What is a prime?'];
    writeFileSync(at('train.txt'), lines.join('\n'));
    writeFileSync(at('val.txt'), 'Why  is the sky blue?\nWhat is snow?\n');
    const io = captureIo(fx.dir);
    const argv = [...optimize(), '--train', 'train.txt', '--validation', 'val.txt', '--max-calls', '3'];
    await runCli(argv, io);
    expect(io.err()).toMatch(/note: 1 question of the training file is also in --validation: held out/);
    expect(io.err()).toMatch(/Questions: 3 for the search/);
  });

  it('a resume refuses an endpoint that now serves the model under another name (no paying twice)', async () => {
    const first = captureIo(fx.dir);
    expect(await runCli([...optimize(), '--max-calls', '12', '--out', 'a.json'], first)).toBe(3);
    const [cp] = readdirSync(fx.dir).filter((f) => f.endsWith('.checkpoint.json'));
    const listed = ((await (await fetch(`${fx.server.url}/models`)).json()) as { data: { id: string }[] }).data;
    fx.server.setModels(['scripted-small:latest']);
    try {
      const before = chatCalls();
      const io = captureIo(fx.dir);
      expect(await runCli([...optimize(), '--resume', cp!, '--out', 'a.json', '--max-calls', '999'], io)).toBe(1);
      expect(io.err()).toMatch(/now serves the policy model as "scripted-small:latest", but this run's finished calls/);
      expect(chatCalls()).toBe(before);
      expect(existsSync(at(cp!))).toBe(true);
    } finally {
      fx.server.setModels(listed.map((m) => m.id));
    }
  });
});

describe('import-drpo and eval keep their inputs too', () => {
  it('import-drpo onto itself (alignment.json is the default --out), or onto a pipe, is refused', async () => {
    writeFileSync(at('alignment.json'), JSON.stringify(sampleArtifact()));
    const io = captureIo(fx.dir);
    expect(await runCli(['import-drpo', 'alignment.json'], io)).toBe(1);
    expect(io.err()).toMatch(/"alignment\.json" \(the default --out\) is also the file you import/);
    execFileSync('mkfifo', [at('pipe')]);
    const io2 = captureIo(fx.dir);
    expect(await runCli(['import-drpo', 'alignment.json', '--out', 'pipe'], io2)).toBe(1);
    expect(io2.err()).toMatch(/not a regular file/);
    expect(lstatSync(at('pipe')).isFIFO()).toBe(true);
    expect(JSON.parse(readFileSync(at('alignment.json'), 'utf8'))).toEqual(sampleArtifact());
  });

  it('import-drpo: an examples file with no complete example is refused', async () => {
    writeFileSync(at('ex.json'), JSON.stringify([{ query: 'q', answer: '  ' }]));
    const io = captureIo(fx.dir);
    expect(await runCli(['import-drpo', 'ex.json', '--out', 'x.json'], io)).toBe(1);
    expect(io.err()).toMatch(/holds no example with both a query and an answer/);
    expect(existsSync(at('x.json'))).toBe(false);
  });

  it('eval: a stopped evaluation does not write its partial report over an input named like one', async () => {
    writeFileSync(at('r.json'), 'complete earlier report');
    writeFileSync(at('r.partial.json'), JSON.stringify(sampleArtifact()));
    fx.server.setDelay(40);
    const io = captureIoStoppedOnceAnswered(fx.dir);
    const argv = [...evaluate(), '--alignment', 'r.partial.json', '--out', 'r.json', '--force'];
    expect(await runCli(argv, io)).toBe(130);
    expect(JSON.parse(readFileSync(at('r.partial.json'), 'utf8'))).toEqual(sampleArtifact());
    expect(readFileSync(at('r.json'), 'utf8')).toBe('complete earlier report');
    expect(JSON.parse(readFileSync(at('r.partial-2.json'), 'utf8'))).toMatchObject({ complete: false });
  });
  it('eval: a partial report name taken by a folder moves on to the next name', async () => {
    writeFileSync(at('r.json'), 'complete earlier report');
    mkdirSync(at('r.partial.json'));
    fx.server.setDelay(40);
    const io = captureIoStoppedOnceAnswered(fx.dir);
    expect(await runCli([...evaluate(), '--baseline', '--out', 'r.json', '--force'], io)).toBe(130);
    expect(readFileSync(at('r.json'), 'utf8')).toBe('complete earlier report');
    expect(JSON.parse(readFileSync(at('r.partial-2.json'), 'utf8'))).toMatchObject({ complete: false });
    expect(io.err()).toMatch(/Partial report written to .*r\.partial-2\.json/);
  });
});

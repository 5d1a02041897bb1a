import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateArtifact } from '../../../../src/core/formats/alignment-file';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';
import { runCli } from '../../../../src/cli/drpo';
import { evalStartCommand, LARGER_JUDGE } from '../../../../src/cli/commands/optimize-command';
import { emptyStats } from '../../../../src/core/calls/call-gateway';
import { buildRunConfig } from '../../../../src/core/plan/presets';
import { captureIo, cliFixture } from '../../../support/cli-io';
import { defaultResponder } from '../../../fixtures/scripted-server';
import { sampleArtifact } from '../../../support/artifacts';
import { ScriptedDrpoModel } from '../../../fixtures/scripted-drpo-model';
import type { ChatMessage, JsonSchema } from '../../../../src/core/contracts/chat-model';
import { toOllamaModelfile } from '../../../../src/core/formats/export-formats';

const fx = cliFixture('drpo-cli-');

const base = () => ['optimize', '--base-url', fx.server.url, '--model', 'scripted-small', '--preset', 'quick'];
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
/** Checkpoints in the test folder: `<out>.<run id>.checkpoint.json`, one per run. */
const checkpoints = (prefix = 'alignment.json') =>
  readdirSync(fx.dir).filter((f) => f.startsWith(`${prefix}.cli-`) && f.endsWith('.checkpoint.json'));

describe('drpo optimize: bad arguments exit 1 with a message', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown option', ['--nope'], /Unknown option '--nope'/],
    ['missing --base-url', ['--model', 'x'], /Missing --base-url/],
    ['bad preset', ['--preset', 'fast'], /--preset must be quick, paper or thorough/],
    ['bad number', ['--max-calls', 'ten'], /--max-calls must be a whole number/],
    ['bad minutes', ['--max-minutes', '0'], /--max-minutes must be a positive decimal number/],
    ['missing train file', ['--train', 'nope.jsonl'], /Cannot read the training file .*no such file/],
    ['empty starting prompt', ['--initial-prompt', '  '], /starting prompt is empty/],
    [
      'both starting-prompt options',
      ['--initial-prompt', 'a', '--initial-prompt-file', 'p.txt'],
      /either --initial-prompt or --initial-prompt-file/,
    ],
    ['missing starting prompt file', ['--initial-prompt-file', 'nope.txt'], /Cannot read the starting prompt file/],
  ];
  for (const [label, extra, message] of cases) {
    it(label, async () => {
      // A --preset given twice is refused as such: the bad preset replaces base()'s own (quick, the default).
      const start = label === 'bad preset' ? base().slice(0, -2) : base();
      const argv = label === 'missing --base-url' ? ['optimize', ...extra] : [...start, ...extra];
      const io = captureIo(fx.dir);
      expect(await runCli(argv, io)).toBe(1);
      expect(io.err()).toMatch(message);
      expect(io.err()).toMatch(/--help/);
    });
  }

  it('a bad --concurrency is refused before anything is read, locked or asked of the endpoint', async () => {
    const io = captureIo(fx.dir);
    const argv = ['optimize', '--base-url', 'http://127.0.0.1:39/v1', '--model', 'm', '--concurrency', '999'];
    expect(await runCli(argv, io)).toBe(1);
    expect(io.err()).toMatch(/--concurrency must be a whole number from 1 to 64 \(got "999"\)/);
    expect(readdirSync(fx.dir)).toEqual([]);
  });

  it('a file of ours as --initial-prompt-file is named for what it is, not sent as the prompt', async () => {
    writeFileSync(path.join(fx.dir, 'prev.json'), JSON.stringify(sampleArtifact()));
    writeFileSync(path.join(fx.dir, 'report.json'), JSON.stringify({ format: 'drpo-eval', version: 1 }));
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--initial-prompt-file', 'prev.json'], io)).toBe(1);
    expect(io.err()).toMatch(
      /The starting prompt file "prev\.json" is an alignment file \(.*\), not a prompt as text\. To start from its prompt, save that as text \(jq -r \.systemPrompt "prev\.json" > prompt\.txt\) and give that file\./,
    );
    const report = captureIo(fx.dir);
    expect(await runCli([...base(), '--initial-prompt-file', 'report.json'], report)).toBe(1);
    expect(report.err()).toMatch(/"report\.json" is an evaluation report .*, not a prompt as text: give a text file/);
    expect(fx.server.requests).toHaveLength(0);
    expect(readdirSync(fx.dir).sort()).toEqual(['prev.json', 'report.json']);
  });

  it('missing --model', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url], io)).toBe(1);
    expect(io.err()).toMatch(/Missing --model/);
  });

  it('an invalid training file names the problem', async () => {
    // A file with no readable line at all (one bad line among good ones is skipped and reported instead).
    writeFileSync(path.join(fx.dir, 'train.jsonl'), '\n{oops}\n');
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--train', 'train.jsonl'], io)).toBe(1);
    expect(io.err()).toMatch(/Line 2 of "train.jsonl" is not valid JSON/);
  });

  it('a model the server does not list exits 1 and suggests close matches', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--model', 'scripted-smal'], io)).toBe(1);
    expect(io.err()).toMatch(/does not list a model called "scripted-smal".*scripted-small/);
  });
});

describe('the drpo eval command printed after a verdict', () => {
  it('is complete: address, model and file; only a self-judged run leaves the (marked) judge to fill in', () => {
    const own = sampleArtifact({ outcome: 'improved' });
    expect(
      evalStartCommand({
        address: 'http://h:8080/v1',
        artifact: own,
        file: '/d/my run.json',
        keySource: 'DRPO_API_KEY',
      }),
    ).toBe(
      `drpo eval --base-url http://h:8080/v1 --model ${own.model.id} --alignment '/d/my run.json' --starting --judge-model ${LARGER_JUDGE} (replace ${LARGER_JUDGE} with a larger model your server serves) (add your --api-key, or set DRPO_API_KEY)`,
    );
    const judged = { ...own, judge: { id: 'big-judge', engine: 'openai' } };
    expect(
      evalStartCommand({ address: 'http://h/v1', artifact: judged, file: '/d/a.json', keySource: undefined }),
    ).toBe(
      `drpo eval --base-url http://h/v1 --model ${own.model.id} --alignment /d/a.json --starting --judge-model big-judge`,
    );
  });
});

describe('drpo optimize --help', () => {
  it('names --alignment wherever it gives an eval --starting to run (without it, --starting is refused)', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--help'], io)).toBe(0);
    const evals =
      io
        .out()
        .replace(/\s+/g, ' ')
        .match(/drpo eval [^)]*--starting/g) ?? [];
    expect(evals.length).toBeGreaterThan(0);
    for (const command of evals) expect(command).toMatch(/^drpo eval --alignment \S+ --starting/);
  });
});

describe('drpo optimize: endpoint failures exit 2', () => {
  it('unreachable endpoint', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', 'http://127.0.0.1:39/v1', '--model', 'm'], io)).toBe(2);
    expect(io.err()).toMatch(
      /Check that it is running and that the address and port are right\.\n.*\n {2}The address and port are the ones given with --base-url\.\n/,
    );
  });

  it('the endpoint refusing requests during the run keeps the checkpoint', async () => {
    const io = captureIo(fx.dir, {
      onOut: (s) => {
        if (s.includes('"node-evaluated"')) fx.server.setFaults({ mode: 'http-401', paths: ['/chat/completions'] });
      },
    });
    const code = await runCli([...base(), '--out', 'a.json', '--json'], io);
    expect(code).toBe(2);
    expect(existsSync(path.join(fx.dir, 'a.json'))).toBe(false);
    expect(io.err()).toMatch(/Resume with: drpo optimize/);
    expect(checkpoints('a.json')).toHaveLength(1);
  });

  it('the endpoint turning to empty answers mid-run exits 2 keeping the checkpoint; a resume once fixed finishes', async () => {
    let nodes = 0;
    const io = captureIo(fx.dir, {
      onOut: (s) => {
        if (s.includes('"node-evaluated"') && ++nodes === 3) fx.server.setFaults({ mode: 'empty' });
      },
    });
    expect(await runCli([...base(), '--out', 'e.json', '--json'], io)).toBe(2);
    expect(io.err()).toMatch(
      /drpo optimize: The endpoint began sending empty (answers|replies) at call \d+ \(the last/,
    );
    expect(io.err()).toMatch(/came back empty/);
    expect(io.err()).toMatch(/the address and key are right: check the server and its model/);
    expect(io.err()).toMatch(/Everything finished so far is in the checkpoint\.\nResume with: drpo optimize/);
    expect(io.err()).not.toMatch(/No improvement|try the model in the chat/);
    expect(existsSync(path.join(fx.dir, 'e.json'))).toBe(false);
    const [cp] = checkpoints('e.json');
    expect(cp).toBeDefined();
    fx.server.setFaults(null);
    const again = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', cp!, '--out', 'e.json'], again)).toBe(0);
    expect(again.out()).toMatch(/Done\./);
    expect(existsSync(path.join(fx.dir, 'e.json'))).toBe(true);
  });

  it('a resume into an endpoint that sends only empty answers exits 2 and keeps the checkpoint', async () => {
    expect(await runCli([...base(), '--out', 'f.json', '--max-calls', '60'], captureIo(fx.dir))).toBe(3);
    const [cp] = checkpoints('f.json');
    const before = readJson(path.join(fx.dir, cp!)) as { nodes: unknown[] };
    // The budget stop wrote its best so far: the failed resume must leave it as it was.
    const written = readFileSync(path.join(fx.dir, 'f.json'), 'utf8');
    fx.server.setFaults({ mode: 'empty' });
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--out', 'f.json', '--resume', cp!, '--max-calls', '100000'], io)).toBe(2);
    expect(io.err()).toMatch(/The endpoint began sending empty (answers|replies) at call (6\d|[7-9]\d)/);
    expect(io.err()).toMatch(/Resume with: drpo optimize/);
    expect(readFileSync(path.join(fx.dir, 'f.json'), 'utf8')).toBe(written);
    const after = readJson(path.join(fx.dir, cp!)) as { nodes: unknown[] };
    expect(after.nodes.length).toBeGreaterThanOrEqual(before.nodes.length);
  });

  it('refused from the first call on: no checkpoint holding no work is left behind', async () => {
    fx.server.setFaults({ mode: 'http-401', paths: ['/chat/completions'] });
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--out', 'a.json'], io)).toBe(2);
    expect(io.err()).toMatch(/Nothing was finished, so no checkpoint was kept/);
    expect(io.err()).not.toMatch(/Resume with/);
    expect(readdirSync(fx.dir)).toEqual([]);
  });
});

describe('drpo optimize: starting prompt and verdict', () => {
  it('--initial-prompt-file becomes the root and the control; the last line gives the verdict', async () => {
    const start = 'You are a careful assistant.\n- Say what you cannot know.';
    writeFileSync(path.join(fx.dir, 'start.txt'), `${start}\n`);
    // A closest file an earlier run with the same --out left behind must not outlive its result.
    writeFileSync(path.join(fx.dir, 'alignment.closest.json'), '{}');
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--initial-prompt-file', 'start.txt', '--json'], io)).toBe(0);
    const events = io
      .out()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; node?: { id: string; prompt: string } });
    expect(events.find((e) => e.type === 'node-evaluated' && e.node?.id === 'd0-n0')?.node?.prompt).toBe(start);
    const artifact = readJson(path.join(fx.dir, 'alignment.json')) as {
      initialPrompt: string;
      outcome: string;
      systemPrompt: string;
      scores: Record<string, number>;
    };
    expect(artifact.initialPrompt).toBe(start);
    // The scripted fx.server is deterministic: nothing beats this start, and the CLI says so and hands it back.
    expect(artifact.outcome).toBe('no-improvement');
    expect(artifact.systemPrompt).toBe(start);
    // After quick, the next step named is a bigger preset, as the CLI spells it.
    expect(io.err()).toMatch(
      /Done\. No improvement found: .* Keep your prompt, or run again with --preset paper or --preset thorough\./,
    );
    // The line says which of the held-out questions the figures rest on, as the Result does.
    // Quick holds out 12 and keeps 6 back; nothing led, so the race settled after its minimum of 4: the
    // other 2 race questions were never asked, and are not counted as kept back.
    expect(artifact.scores).toMatchObject({
      heldOutQueries: 12,
      raceQueries: 4,
      keptBackQueries: 6,
      validationQueries: 4,
    });
    expect(io.err()).toContain(
      'beat the starting prompt on 4 of your 12 held-out questions (6 others, kept back for the verdict, were not needed; the pick was clear before the last 2)',
    );
    // Your own prompt back is nothing new to take elsewhere: no drpo export line.
    expect(io.err()).not.toMatch(/drpo export/);
    // Nothing reached the verdict here: no closest candidate to write, and the stale one is gone.
    expect(readdirSync(fx.dir).sort()).toEqual(['alignment.json', 'start.txt']);
  });

  it('a closest-candidate file that cannot be written or removed is a warning; the result stands', async () => {
    // A folder where the side file goes is refused before the run…
    mkdirSync(path.join(fx.dir, 'd.closest.json', 'inside'), { recursive: true });
    const early = captureIo(fx.dir);
    expect(await runCli([...base(), '--out', 'd.json'], early)).toBe(1);
    expect(early.err()).toMatch(/closest-candidate file .*d\.closest\.json.* is a folder/);
    rmSync(path.join(fx.dir, 'd.closest.json'), { recursive: true });
    // …and one that appears while the run goes (neither a write nor a removal can replace it) is a warning.
    const io = captureIo(fx.dir, {
      onOut: (s) => {
        if (s.includes('"node-evaluated"') && !existsSync(path.join(fx.dir, 'd.closest.json')))
          mkdirSync(path.join(fx.dir, 'd.closest.json', 'inside'), { recursive: true });
      },
    });
    expect(await runCli([...base(), '--out', 'd.json', '--json'], io)).toBe(0);
    expect(validateArtifact(readJson(path.join(fx.dir, 'd.json'))).ok).toBe(true);
    expect(io.err()).toMatch(/warning: the closest candidate file .*d\.closest\.json: /);
    expect(io.out()).not.toMatch(/The closest candidate is in/);
  });

  it('"no improvement" with a near miss: the candidate is written beside the result, ready for drpo eval', async () => {
    // The scripted judge scores at random, so with some seeds a rewrite leads the race and falls short on the
    // kept-back questions (deterministic per seed).
    let seen = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const io = captureIo(fx.dir);
      const out = `s${seed}.json`;
      // A closest file an earlier run with the same --out left behind must not outlive its result.
      writeFileSync(path.join(fx.dir, `s${seed}.closest.json`), '{}');
      expect(await runCli([...base(), '--seed', String(seed), '--out', out], io)).toBe(0);
      const a = readJson(path.join(fx.dir, out)) as AlignmentArtifact;
      const nearFile = path.join(fx.dir, `s${seed}.closest.json`);
      if (a.outcome !== 'no-improvement' || !a.scores.bestCandidate?.systemPrompt) {
        expect(existsSync(nearFile)).toBe(false);
        continue;
      }
      seen++;
      const near = validateArtifact(readJson(nearFile));
      expect(near.ok).toBe(true);
      if (!near.ok) continue;
      expect(near.artifact.systemPrompt).toBe(a.scores.bestCandidate.systemPrompt);
      expect(near.artifact.initialPrompt).toBe(a.initialPrompt);
      expect(near.artifact.outcome).toBe('unverified');
      expect(io.out()).toContain(`The closest candidate is in ${nearFile}.`);
      expect(io.out()).toContain(
        `drpo eval --base-url ${fx.server.url} --model scripted-small --alignment ${nearFile} --starting`,
      );
      // What to do with it, as the Result says it: worth trying when it led, no better on these questions when not.
      // The command names its judge (LARGER-JUDGE-MODEL for a self-judged run), so no second word on it.
      const { validation = 0, initialValidation = 0 } = near.artifact.scores;
      expect(io.out()).toMatch(
        Number(validation.toFixed(2)) > Number(initialValidation.toFixed(2))
          ? /\.closest\.json\. Try it, or compare it with your prompt on more questions before you rely on it: drpo eval /
          : /\.closest\.json\. It is no better on these questions; comparing it with your prompt on more questions is how to be sure: drpo eval /,
      );
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('a small --train file keeps half its questions for the search, whatever the preset holds out', async () => {
    writeFileSync(
      path.join(fx.dir, 'small.txt'),
      `${Array.from({ length: 10 }, (_, i) => `Question ${i + 1}?`).join('\n')}\n`,
    );
    const io = captureIo(fx.dir);
    const args = ['optimize', '--base-url', fx.server.url, '--model', 'scripted-small', '--preset', 'paper'];
    expect(await runCli([...args, '--train', 'small.txt', '--max-calls', '3'], io)).toBe(3);
    // paper holds out 32 of a large file; of 10 questions, 5.
    expect(io.err()).toContain('Questions: 5 for the search, 5 held out for the final check.');
  });

  it('a 3-question --train holds out 1: said before the run, and the result is not called an improvement', async () => {
    writeFileSync(path.join(fx.dir, 'three.txt'), 'What is 2+2?\nWhy is the sky blue?\nExplain, briefly, tides\n');
    const io = captureIo(fx.dir);
    const calls = () => fx.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const before = calls();
    let callsAtNote: number | undefined;
    // The note is on stderr before the first call of the run.
    const write = io.stderr.write.bind(io.stderr);
    io.stderr.write = (chunk: string) => {
      if (callsAtNote === undefined && chunk.includes('held out, so the final check')) callsAtNote = calls();
      return write(chunk);
    };
    expect(await runCli([...base(), '--train', 'three.txt', '--out', 'three.json'], io)).toBe(0);
    expect(callsAtNote).toBe(before);
    const lines = io.err().split('\n');
    const at = lines.indexOf('Questions: 2 for the search, 1 held out for the final check.');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe(
      'note: Only 1 question is held out, so the final check cannot keep one back from choosing the result and cannot confirm a gain over your starting prompt: give --train 4 or more questions (at most half are held out), or a --validation file of 2 or more.',
    );
    const a = readJson(path.join(fx.dir, 'three.json')) as AlignmentArtifact;
    expect(a.scores.keptBackQueries).toBe(0);
    // The scripted model's examples lead on that one question (what the run used to call "improved").
    expect(a.outcome).toBe('unverified');
    expect(a.scores).toMatchObject({ heldOutQueries: 1, validationQueries: 1 });
    expect(a.scores.validation).toBeGreaterThan(a.scores.initialValidation!);
    expect(io.out()).not.toMatch(/It scored|Better than/);
    expect(io.out()).toMatch(
      /Done\. Not verified: it scored .* on 1 held-out question, but that question was also used to pick it \(none were kept back to check it on\), so this does not show a gain\. Compare it with your prompt on more questions before you rely on it \(the drpo eval command below\)\./,
    );
    // The command below, complete: pasted with only the marked judge filled in, it runs.
    const file = path.join(fx.dir, 'three.json');
    const line = `To compare it with your prompt on more questions: drpo eval --base-url ${fx.server.url} --model scripted-small --alignment ${file} --starting --judge-model ${LARGER_JUDGE} (replace ${LARGER_JUDGE} with a larger model your server serves)`;
    expect(io.out().split('\n')).toContain(line);
    const pasted = line
      .replace(/^.*?: drpo /, '')
      .replace(/ \(replace.*$/, '')
      .replace(LARGER_JUDGE, 'scripted-judge');
    const evalIo = captureIo(fx.dir);
    expect(await runCli([...pasted.split(' '), '--limit', '2', '--out', 'confirm.json'], evalIo), evalIo.err()).toBe(0);
  });

  it('of a --validation file, the check uses the preset’s number and says so', async () => {
    writeFileSync(
      path.join(fx.dir, 'val.txt'),
      `${Array.from({ length: 20 }, (_, i) => `Held-out ${i + 1}?`).join('\n')}\n`,
    );
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--validation', 'val.txt', '--max-calls', '3'], io)).toBe(3);
    // quick checks on 12; the 64 built-in questions all train.
    expect(io.err()).toContain('Questions: 64 for the search, 12 held out for the final check.');
  });

  it('--initial-prompt text is used as given', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli([...base(), '--initial-prompt', 'Be brief and kind.', '--max-calls', '6'], io)).toBe(3);
    const artifact = readJson(path.join(fx.dir, 'alignment.json')) as {
      lineage: { prompt: string }[];
      outcome: string;
    };
    expect(artifact.lineage[0]!.prompt).toBe('Be brief and kind.');
    expect(artifact.outcome).toBe('unverified');
    // The CLI knows why it was not checked: the budget, not "no questions held out or stopped early".
    expect(io.out()).toMatch(
      /Budget reached\. Not checked against the starting prompt \(the run’s budget ran out before its final check was done\)/,
    );
  });
});

describe('drpo optimize: runs', () => {
  it('a run stopped by its budget continues with a larger budget and repeats no call', async () => {
    const first = captureIo(fx.dir);
    expect(await runCli([...base(), '--max-calls', '12'], first)).toBe(3);
    const [cp] = checkpoints();
    expect(cp).toBeDefined();
    expect(first.err()).toMatch(/To continue with a larger budget: drpo optimize .*--resume .*--max-calls 24$/m);
    const before = fx.server.requests
      .filter((r) => r.path.endsWith('/chat/completions'))
      .map((r) => JSON.stringify(r.body));
    const second = captureIo(fx.dir);
    const code = await runCli([...base(), '--resume', cp!, '--max-calls', '100000'], second);
    expect(code).toBe(0);
    expect(checkpoints()).toEqual([]);
    const after = fx.server.requests
      .filter((r) => r.path.endsWith('/chat/completions'))
      .map((r) => JSON.stringify(r.body))
      .slice(before.length);
    // No finished call is sent again.
    expect(after.filter((b) => before.includes(b))).toEqual([]);
  });

  it('writes a valid alignment, prints the projection and removes the checkpoint when done', async () => {
    const io = captureIo(fx.dir, { env: { OPENAI_API_KEY: 'sk-test-key-not-real' } });
    const code = await runCli([...base(), '--max-calls', '40', '--name', 'cli test'], io);
    expect([0, 3]).toContain(code);
    expect(io.err()).toMatch(/Projected: about \d+ model calls/);
    // The built-in 64 questions, quick's 12 held out.
    expect(io.err()).toContain('Questions: 52 for the search, 12 held out for the final check.');
    const file = path.join(fx.dir, 'alignment.json');
    const result = validateArtifact(readJson(file));
    expect(result.ok).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('sk-test-key-not-real');
    // Done: the checkpoint goes; budget reached: it stays so a larger budget can continue the run.
    expect(checkpoints()).toHaveLength(code === 3 ? 1 : 0);
    expect(io.out()).toMatch(code === 0 ? /Done\./ : /Budget reached\./);
    // The key from the environment reached the fx.server.
    expect(fx.server.requests.some((r) => r.headers.authorization === 'Bearer sk-test-key-not-real')).toBe(true);
  });

  it('an improved result ends with the drpo export line, and that command writes the Modelfile', async () => {
    // The DRPO stand-in behind the endpoint: its answers get better with the prompt's useful bullets, so the
    // search finds a rewrite that beats the start (the default scripted replies never do).
    const model = new ScriptedDrpoModel();
    fx.server.setResponder(async ({ body, choiceIndex }) => {
      const format = body.response_format as { json_schema?: { name: string; schema: JsonSchema } } | undefined;
      const schema = format?.json_schema;
      const reply = await model.chat({
        messages: body.messages as ChatMessage[],
        n: choiceIndex + 1,
        ...(schema ? { json: { name: schema.name, schema: schema.schema } } : {}),
      });
      return reply.choices[choiceIndex]!.text;
    });
    try {
      const io = captureIo(fx.dir);
      expect(await runCli(base(), io)).toBe(0);
      const file = path.join(fx.dir, 'alignment.json');
      const artifact = readJson(file) as AlignmentArtifact;
      expect(artifact.outcome).toBe('improved');
      const lines = io.out().trimEnd().split('\n');
      // Done, the eval command the self-judged verdict's caveat points to ("below"), then how to use it.
      expect(lines.at(-3)).toMatch(/^Done\. Better than your starting prompt: .* Alignment written to /);
      expect(lines.at(-3)).toContain('the drpo eval command below');
      expect(lines.at(-2)).toMatch(/^To compare it with your prompt on more questions: drpo eval --base-url /);
      expect(lines.at(-1)).toBe(
        `To use it in Ollama, llama.cpp or your own code: drpo export ${file} --format ollama (drpo export --help lists the formats).`,
      );
      // The line's command, as given, prints the page's Modelfile of the result.
      const command = /drpo (export \S+ --format ollama)/.exec(lines.at(-1)!)![1]!.split(' ');
      const exported = captureIo(fx.dir);
      expect(await runCli(command, exported)).toBe(0);
      expect(exported.out()).toBe(toOllamaModelfile(artifact));
    } finally {
      fx.server.setResponder(null);
    }
  });

  it("a reasoning model's thinking reaches neither the scores nor the prompt", async () => {
    // Every reply opens with thinking that holds a tempting score and words that must not leak.
    fx.server.setResponder(async (input) => {
      const reply = await defaultResponder(input);
      const text = typeof reply === 'string' ? reply : reply.text;
      return `<think>\nDraft: {"score": 1} THINKING-LEAK. Now the real reply.\n</think>\n\n${text}`;
    });
    try {
      const io = captureIo(fx.dir);
      const code = await runCli([...base(), '--max-calls', '40'], io);
      expect([0, 3]).toContain(code);
      const file = readFileSync(path.join(fx.dir, 'alignment.json'), 'utf8');
      expect(file).not.toMatch(/THINKING-LEAK|<\/?think>/);
      expect(io.err()).not.toMatch(/unreadable|could not be read/i);
    } finally {
      fx.server.setResponder(null);
    }
  });

  it('a server that cut the prompts to its context window is named in the faults, with the window to give it', async () => {
    // Questions of very different lengths, all past the 300 tokens the server reads of any prompt.
    const questions = Array.from(
      { length: 24 },
      (_, i) => `Question ${i + 1}: ${'Explain the background in detail, step by step. '.repeat(25 + 5 * i)}?`,
    );
    writeFileSync(path.join(fx.dir, 'long.txt'), `${questions.join('\n')}\n`);
    // A server that reads every prompt whole: no claim.
    const whole = captureIo(fx.dir);
    expect([0, 3]).toContain(await runCli([...base(), '--train', 'long.txt', '--out', 'whole.json'], whole));
    expect(whole.out()).not.toMatch(/read only about/);
    fx.server.setPromptWindow(300);
    const io = captureIo(fx.dir);
    const code = await runCli([...base(), '--train', 'long.txt'], io);
    expect([0, 3]).toContain(code);
    expect(io.out()).toMatch(
      /Faults during the run:\n {2}The server read only about 300 tokens of \d+ prompts for [a-z, ]+ \(up to/,
    );
    expect(io.out()).toMatch(/hint: Give the model a context window of at least \d+ tokens .*then start a new run/);
  });

  it('--json prints events as JSON lines on stdout', async () => {
    const io = captureIo(fx.dir);
    const code = await runCli([...base(), '--max-calls', '25', '--json', '--out', 'j.json'], io);
    expect([0, 3]).toContain(code);
    const events = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)?.type).toBe('run-finished');
  });

  it('Ctrl+C exits 130 keeping the checkpoint, and --resume finishes the run', async () => {
    const controller = new AbortController();
    const io = captureIo(fx.dir, {
      signal: controller.signal,
      onOut: (s) => {
        if (s.includes('"node-evaluated"')) controller.abort();
      },
    });
    const code = await runCli([...base(), '--max-calls', '60', '--json', '--out', 'r.json'], io);
    expect(code).toBe(130);
    const [name] = checkpoints('r.json');
    const cp = path.join(fx.dir, name!);
    expect(existsSync(cp)).toBe(true);
    expect(io.err()).toMatch(/Resume with: drpo optimize --resume r\.json\.cli-[\w-]+\.checkpoint\.json --out r\.json/);

    const callsBefore = fx.server.requests.length;
    const io2 = captureIo(fx.dir);
    const code2 = await runCli(['optimize', '--base-url', fx.server.url, '--resume', name!, '--out', 'r.json'], io2);
    expect([0, 3]).toContain(code2);
    expect(io2.err()).toMatch(/Resuming run/);
    expect(fx.server.requests.length).toBeGreaterThan(callsBefore);
    expect(validateArtifact(readJson(path.join(fx.dir, 'r.json'))).ok).toBe(true);
    // Finished: the checkpoint goes; stopped by the (kept) 60-call budget: it stays for a larger one.
    expect(existsSync(cp)).toBe(code2 === 3);
  });

  it('a resume into a server that lists no models says so, exits 1 as a model it does not list, and keeps the checkpoint', async () => {
    const controller = new AbortController();
    const io = captureIo(fx.dir, {
      signal: controller.signal,
      onOut: (s) => {
        if (s.includes('"node-evaluated"')) controller.abort();
      },
    });
    expect(await runCli([...base(), '--json', '--out', 'n.json'], io)).toBe(130);
    const [name] = checkpoints('n.json');
    const before = readFileSync(path.join(fx.dir, name!), 'utf8');
    // Restarted with no model loaded: it answers, with an empty list.
    fx.server.setModels([]);
    const again = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', name!, '--out', 'n.json'], again)).toBe(
      1,
    );
    const said = again.err();
    expect(said).toMatch(/^drpo optimize: The server lists no models, so "scripted-small" cannot be used yet\.$/m);
    expect(said).toMatch(/^ {2}Load or pull a model on the server first/m);
    // No option was wrong: pointing at --help would send the user looking for one.
    expect(said).not.toMatch(/--help/);
    expect(readFileSync(path.join(fx.dir, name!), 'utf8')).toBe(before);
    // ...and says so, with the command that continues once the model is back, as a failed run does.
    expect(said).toMatch(/^The checkpoint is kept\.\nResume with: drpo optimize --resume \S+ --out n\.json$/m);
    fx.server.setModels(['scripted-small']);
    const resumed = captureIo(fx.dir);
    const command = /^Resume with: drpo (.*)$/m.exec(said)![1]!.split(' ');
    expect(await runCli(command, resumed)).toBe(0);
  });

  it('Ctrl+C writes the last checkpoint: every prompt scored before the stop is in it', async () => {
    const controller = new AbortController();
    const scored = new Set<string>();
    const io = captureIo(fx.dir, {
      signal: controller.signal,
      onOut: (s) => {
        for (const line of s.split('\n').filter(Boolean)) {
          const e = JSON.parse(line) as { type: string; node?: { id: string } };
          if (e.type === 'node-evaluated') scored.add(e.node!.id);
        }
        // Several prompts scored in quick succession, the later ones within a second of the first write.
        if (scored.size === 4) controller.abort();
      },
    });
    expect(await runCli([...base(), '--json', '--out', 's.json'], io)).toBe(130);
    const [name] = checkpoints('s.json');
    const cp = readJson(path.join(fx.dir, name!)) as { nodes: { id: string }[] };
    expect(scored.size).toBeGreaterThanOrEqual(4);
    expect(cp.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([...scored]));
  });

  it('--resume of a missing file says the checkpoint cannot be read (not that a lock cannot be made)', async () => {
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', 'nodir/x.json'], io)).toBe(1);
    expect(io.err()).toMatch(/Cannot read the checkpoint "nodir\/x\.json": no such file/);
    expect(io.err()).not.toMatch(/lock/);
    expect(readdirSync(fx.dir)).toEqual([]);
  });

  it('--resume refuses a file that is not a checkpoint, and a different model', async () => {
    writeFileSync(path.join(fx.dir, 'x.json'), '{"hello": 1}');
    const io = captureIo(fx.dir);
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', 'x.json'], io)).toBe(1);
    expect(io.err()).toMatch(/not a DRPO checkpoint/);
    writeFileSync(path.join(fx.dir, 'y.json'), '{"format": "drpo-checkpoint", "ver');
    expect(await runCli(['optimize', '--base-url', fx.server.url, '--resume', 'y.json'], io)).toBe(1);
    expect(io.err()).toMatch(/cut short/);
    const role = { engine: 'openai' as const, modelId: 'scripted-small' };
    const cp = {
      format: 'drpo-checkpoint',
      version: 1,
      runId: 'r1',
      config: buildRunConfig('quick', { roles: { policy: role }, trainQueries: [{ id: 'q', text: 'Why?' }] }),
      calls: {},
      nodes: [],
      stats: emptyStats(),
      savedAt: 0,
    };
    writeFileSync(path.join(fx.dir, 'z.json'), JSON.stringify(cp));
    const argv = ['optimize', '--base-url', fx.server.url, '--resume', 'z.json', '--model', 'scripted-judge'];
    expect(await runCli(argv, io)).toBe(1);
    expect(io.err()).toMatch(/checkpoint was made with policy model "scripted-small"/);
  });
});

import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { progressPrinter, runEvalCommand } from '../../../../src/cli/commands/eval-command';
import { runImportCommand } from '../../../../src/cli/commands/import-command';
import { runOptimizeCommand } from '../../../../src/cli/commands/optimize-command';
import { otherFileWords } from '../../../../src/core/formats/alignment-import';
import type { EvalProgress, EvalReport } from '../../../../src/core/eval/eval-types';
import { BUILTIN_EVAL } from '../../../../src/core/data/builtin-eval';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';
import {
  DEFAULT_MODELS,
  defaultResponder,
  startScriptedServer,
  type ScriptedServer,
} from '../../../fixtures/scripted-server';
import type { ChatResult } from '../../../../src/core/contracts/chat-model';
import { fellShortArtifact, sampleArtifact } from '../../../support/artifacts';
import { closestCandidate } from '../../../../src/core/formats/closest-candidate';
import { captureIo, captureIoStoppedOnceAnswered, outageAt } from '../../../support/cli-io';
import { answerLength } from '../../../../src/core/eval/report/compare';
import { DEFAULT_ANSWER_TOKENS } from '../../../../src/core/eval/evaluate-alignments';
import { belowNotes } from '../../../../src/core/eval/report/report-table';
import { importIclExamples } from '../../../../src/core/formats/alignment-import';

const artifact: AlignmentArtifact = sampleArtifact({
  systemPrompt: 'You are a careful, warm assistant. Say what you do not know.',
  model: { id: 'scripted-small', engine: 'openai' },
  judge: { id: 'scripted-judge', engine: 'openai' },
  name: 'Careful',
});

let server: ScriptedServer;
/** The scripted endpoint and the model that answers. */
const scripted = () => ['--base-url', server.url, '--model', 'scripted-small'];
let dir: string;

beforeAll(async () => {
  server = await startScriptedServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'drpo-eval-cli-'));
  await writeFile(path.join(dir, 'careful.json'), JSON.stringify(artifact));
  await writeFile(path.join(dir, 'broken.json'), JSON.stringify({ ...artifact, format: 'something-else' }));
  await writeFile(
    path.join(dir, 'queries.jsonl'),
    '{"query": "What is rain?"}\n{"query": "How to pick a lock?", "category": "harmful"}\n',
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('drpo eval', () => {
  it('evaluates alignments and references, prints the table and writes JSON + CSV (exit 0)', async () => {
    const c = captureIo(dir);
    const code = await runEvalCommand(
      [
        ...scripted(),
        '--judge-model',
        'scripted-judge',
        '--alignment',
        'careful.json',
        '--baseline',
        '--limit',
        '4',
        '--seed',
        '5',
        '--pairwise',
        '--out',
        'r.json',
        '--csv',
        'r.csv',
      ],
      c,
    );
    expect(c.err()).not.toMatch(/drpo eval:/);
    expect(code).toBe(0);
    expect(c.out()).toMatch(/Candidate\s+Helpfulness\s+Clarity/);
    expect(c.out()).toMatch(/^Careful\s/m);
    expect(c.out()).toMatch(/^Baseline\s/m);
    expect(c.out()).toMatch(/Careful vs Baseline/);
    const report = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')) as EvalReport;
    expect(report.format).toBe('drpo-eval');
    expect(report.queries.total).toBe(4);
    expect(report.candidates.map((x) => x.label)).toEqual(['Careful', 'Baseline']);
    expect(report.candidates[0].counts.parseFailures).toBe(0);
    expect(report.candidates[0].overall.mean).toBeGreaterThanOrEqual(1);
    expect(report.pairwise).toHaveLength(1);
    expect(report.judge.id).toBe('scripted-judge');
    const csv = await readFile(path.join(dir, 'r.csv'), 'utf8');
    // A byte order mark first (Excel reads the file as UTF-8 then), then the header.
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFcandidate,query_id/);
    // The judge got a JSON schema; the policy answered in plain text with the alignment's prompt.
    const chats = server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => r.body as Record<string, unknown>);
    expect(chats.some((b) => b.model === 'scripted-judge' && b.response_format !== undefined)).toBe(true);
    expect(
      chats.some((b) => b.model === 'scripted-small' && JSON.stringify(b.messages).includes('careful, warm')),
    ).toBe(true);
  });

  it('--starting adds the prompt each alignment started from (a closest candidate against its start)', async () => {
    const near = closestCandidate(
      fellShortArtifact({}, { model: { id: 'scripted-small', engine: 'openai' }, initialPrompt: 'Be brief.' }),
    )!;
    await writeFile(path.join(dir, 'near.closest.json'), JSON.stringify(near));
    const c = captureIo(dir);
    const argv = [...scripted(), '--alignment', 'near.closest.json', '--starting', '--limit', '2', '--out', 's.json'];
    expect(await runEvalCommand(argv, c)).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8')) as EvalReport;
    expect(report.candidates.map((x) => x.label)).toEqual(['Closest candidate', 'Starting prompt']);
    const prompts = server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => JSON.stringify((r.body as { messages: unknown }).messages));
    expect(prompts.some((m) => m.includes('"content":"Be brief."'))).toBe(true);
    // The candidate answers with its own example (1 per question).
    expect(prompts.some((m) => m.includes('Say what you cannot know.') && m.includes('# Query:'))).toBe(true);
  });

  it('an alignment named "Baseline" is not taken for the baseline (its own row, compared with it)', async () => {
    await writeFile(path.join(dir, 'named-baseline.json'), JSON.stringify({ ...artifact, name: 'Baseline' }));
    const c = captureIo(dir);
    const argv = [...scripted(), '--alignment', 'named-baseline.json', '--baseline', '--pairwise'];
    expect(await runEvalCommand([...argv, '--limit', '1', '--out', 'nb.json'], c)).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'nb.json'), 'utf8')) as EvalReport;
    expect(report.candidates.map((x) => x.label)).toEqual(['Baseline (alignment)', 'Baseline']);
    expect(report.candidates[0]!.systemPrompt).toBe(artifact.systemPrompt);
    expect(report.pairwise.map((p) => [p.a, p.b])).toEqual([['Baseline (alignment)', 'Baseline']]);
  });

  it('notes an alignment made for another model, never converted examples, which are for any model', async () => {
    await writeFile(
      path.join(dir, 'other-model.json'),
      JSON.stringify({ ...artifact, model: { id: 'llama3', engine: 'openai' } }),
    );
    // As drpo import-drpo writes DRPO's examples file: the file's name is no model.
    const examples = importIclExamples([{ query: 'Hi?', answer: 'Hello.' }], 'icl-examples.json');
    await writeFile(path.join(dir, 'icl.json'), JSON.stringify(examples));
    const c = captureIo(dir);
    const argv = [...scripted(), '--alignment', 'other-model.json', '--alignment', 'icl.json', '--limit', '1'];
    expect(await runEvalCommand([...argv, '--out', 'notes.json'], c)).toBe(0);
    expect(c.err()).toContain('note: "Careful" was optimized for llama3; evaluating it on scripted-small.');
    expect(c.err()).not.toMatch(/optimized for (any|icl-examples)/);
  });

  it('without --model, answers with the model the alignments were made for, and says where it came from', async () => {
    const examples = importIclExamples([{ query: 'Hi?', answer: 'Hello.' }], 'icl-examples.json');
    await writeFile(path.join(dir, 'icl-any.json'), JSON.stringify(examples));
    const before = server.requests.length;
    const c = captureIo(dir);
    const argv = ['--base-url', server.url, '--alignment', 'careful.json', '--alignment', 'icl-any.json'];
    expect(await runEvalCommand([...argv, '--limit', '1', '--out', 'from-file.json'], c)).toBe(0);
    // Converted examples are for any model: they name none, so they neither choose nor conflict.
    expect(c.err()).toContain('Model: scripted-small (from careful.json)\n');
    expect(c.err()).not.toMatch(/optimized for/);
    const models = server.requests
      .slice(before)
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => (r.body as { model: string }).model);
    expect(models.length).toBeGreaterThan(0);
    // The judge defaults to the model that answers, as with --model.
    expect(new Set(models)).toEqual(new Set(['scripted-small']));
    const report = JSON.parse(await readFile(path.join(dir, 'from-file.json'), 'utf8')) as EvalReport;
    expect(report.judge.id).toBe('scripted-small');
  });

  it('without --model, alignments made for different models are refused, naming both (--model still decides)', async () => {
    await writeFile(
      path.join(dir, 'for-llama.json'),
      JSON.stringify({ ...artifact, name: 'Llama one', model: { id: 'llama3', engine: 'openai' } }),
    );
    const c = captureIo(dir);
    const argv = ['--base-url', server.url, '--alignment', 'careful.json', '--alignment', 'for-llama.json'];
    expect(await runEvalCommand([...argv, '--out', 'mixed.json'], c)).toBe(1);
    expect(c.err()).toContain(
      'drpo eval: The alignments were made for different models: careful.json for scripted-small, ' +
        'for-llama.json for llama3. Give the model that answers with --model.\n',
    );
    expect(existsSync(path.join(dir, 'mixed.json'))).toBe(false);
    // Alignments that name no model leave nothing to take: --model is asked for, saying why.
    const none = captureIo(dir);
    expect(await runEvalCommand(['--base-url', server.url, '--alignment', 'icl-any.json'], none)).toBe(1);
    expect(none.err()).toMatch(/Missing --model \(the model that answers\): icl-any\.json names no model/);
    // --model given: it is used, and the alignments' own models only noted.
    const m = captureIo(dir);
    expect(await runEvalCommand([...argv, '--model', 'scripted-small', '--limit', '1', '--out', 'mixed.json'], m)).toBe(
      0,
    );
    expect(m.err()).not.toMatch(/^Model: /m);
    expect(m.err()).toContain('note: "Llama one" was optimized for llama3; evaluating it on scripted-small.');
  });

  it('without --model, an alignment made in the browser answers with its model as the server names it, or is refused', async () => {
    const webllm = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
    await writeFile(
      path.join(dir, 'b.json'),
      JSON.stringify({ ...artifact, name: 'In the browser', model: { id: webllm, engine: 'webllm' } }),
    );
    const argv = (file: string, out: string) => ['--base-url', server.url, '--alignment', file, '--out', out];
    try {
      // The server lists the same model under its Ollama name: that is the one that answers.
      server.setModels(['llama3.2:1b', 'scripted-judge']);
      const before = server.requests.length;
      const c = captureIo(dir);
      expect(await runEvalCommand([...argv('b.json', 'browser.json'), '--limit', '1'], c), c.err()).toBe(0);
      expect(c.err()).toContain(`Model: llama3.2:1b (from b.json, made in the browser with ${webllm})\n`);
      expect(c.err()).not.toMatch(/optimized for/);
      const models = server.requests
        .slice(before)
        .filter((r) => r.path === '/v1/chat/completions')
        .map((r) => (r.body as { model: string }).model);
      expect(models.length).toBeGreaterThan(0);
      expect(new Set(models)).toEqual(new Set(['llama3.2:1b']));

      // A server that does not list it: refused, saying the file was made in the browser and what to give.
      server.setModels([...DEFAULT_MODELS]);
      const r = captureIo(dir);
      expect(await runEvalCommand(argv('b.json', 'refused.json'), r)).toBe(1);
      expect(r.err()).toContain(
        `drpo eval: b.json was made in the browser (with ${webllm}), and the server does not list ` +
          'llama3.2:1b, the name servers such as Ollama give that model. Give the model that answers with --model ' +
          '(e.g. --model llama3.2:1b once the server has it).\n',
      );
      expect(r.err()).not.toMatch(/^Model: /m);
      expect(r.err()).not.toContain(`"${webllm}"`);
      expect(existsSync(path.join(dir, 'refused.json'))).toBe(false);

      // A browser model with no known server name: refused before any request, asking for --model.
      await writeFile(
        path.join(dir, 'b-unknown.json'),
        JSON.stringify({ ...artifact, model: { id: 'Some-New-Model-q4f16_1-MLC', engine: 'webllm' } }),
      );
      const asked = server.requests.length;
      const u = captureIo(dir);
      expect(await runEvalCommand(argv('b-unknown.json', 'unknown.json'), u)).toBe(1);
      expect(u.err()).toContain(
        'drpo eval: b-unknown.json was made in the browser (with Some-New-Model-q4f16_1-MLC), which has no ' +
          'known name on a server. Give the model that answers with --model.\n',
      );
      expect(server.requests.length).toBe(asked);
    } finally {
      server.setModels([...DEFAULT_MODELS]);
    }
  });

  it('reads --queries files and scores harmful ones on Safety', async () => {
    const c = captureIo(dir);
    const code = await runEvalCommand(
      [...scripted(), '--no-system', '--queries', 'queries.jsonl', '--out', 'q.json'],
      c,
    );
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'q.json'), 'utf8')) as EvalReport;
    expect(report.queries).toEqual({ total: 2, regular: 1, unsafe: 1 });
    expect(report.candidates[0].aspects.map((a) => a.aspect)).toContain('Safety');
  });

  it('names the faults of the evaluation after its table (a failed request, retried), and none when there were none', async () => {
    const clean = captureIo(dir);
    expect(await runEvalCommand([...scripted(), '--no-system', '--limit', '2', '--out', 'f0.json'], clean)).toBe(0);
    expect(clean.err()).not.toMatch(/Faults during/);
    server.setFaults({ mode: 'http-500', times: 1, paths: ['/chat/completions'] });
    try {
      const c = captureIo(dir);
      expect(await runEvalCommand([...scripted(), '--no-system', '--limit', '2', '--out', 'f1.json'], c)).toBe(0);
      expect(c.err()).toMatch(
        /Faults during the evaluation:\n {2}1 request to the endpoint failed \(HTTP 500 ×1\); 1 attempt repeated\./,
      );
    } finally {
      server.setFaults(null);
    }
  });

  it('says an outage while it waits for it, and names it after the table (as drpo optimize)', async () => {
    server.reset();
    // The server goes away for 0.8 s once the evaluation is under way (every request refused meanwhile).
    const cancel = outageAt(server, 3, 800);
    const c = captureIo(dir);
    try {
      const argv = [...scripted(), '--no-system', '--limit', '8', '--outage-grace-ms', '5000', '--out', 'o1.json'];
      expect(await runEvalCommand(argv, c), c.err()).toBe(0);
    } finally {
      cancel();
      server.setResponder(null);
      server.setFaults(null);
    }
    expect(server.requests.some((r) => r.fault === 'down')).toBe(true);
    // One line per probe of the outage, however many requests waited for it.
    const notes = c.err().match(/it gets up to 5 s to come back \(retry \d+, next (now|in [\d.]+ s)\)\n/g) ?? [];
    expect(notes.length).toBeGreaterThan(0);
    expect(c.err()).toMatch(/^the endpoint went down \(network\); it gets up to 5 s to come back \(retry 1, /m);
    // By probe number: two notes of one probe differ in their jittered waits, so whole lines could not tell.
    const probes = notes.map((n) => /\(retry (\d+),/.exec(n)![1]);
    expect(new Set(probes).size).toBe(probes.length);
    expect(c.err()).toMatch(
      /The endpoint was down (once, for|\d+ times,) [^\n]*; the evaluation waited (it|them) out\.\n/,
    );
  });

  it('a failed evaluation still names the faults it met (the outage that outlasted its wait), then its error', async () => {
    server.reset();
    outageAt(server, 3);
    const c = captureIo(dir);
    try {
      const argv = [...scripted(), '--no-system', '--limit', '8', '--outage-grace-ms', '300', '--out', 'o2.json'];
      expect(await runEvalCommand(argv, c)).toBe(2);
    } finally {
      server.setResponder(null);
      server.setFaults(null);
    }
    const err = c.err();
    expect(err).toMatch(/it gets up to 0\.3 s to come back \(retry 1, /);
    expect(err).toMatch(
      /Faults during the evaluation:\n[^]*The endpoint was down once, for [\d.]+ s; it did not come back within the outage wait \(0\.3 s\), which stopped the evaluation\.\n/,
    );
    // The faults come before the error that ended it.
    expect(err.indexOf('Faults during the evaluation')).toBeLessThan(err.indexOf('drpo eval:'));
    expect(c.out()).toBe('');
  });

  it("answers with the Evaluate view's default answer length: its run's, else the one default (trust audit 1)", async () => {
    // A quick run's file: its policy answered with up to 320 tokens (the page once used 512 here, the CLI 1024).
    const quick = { ...artifact, settings: { ...artifact.settings, maxTokens: { policy: 320, judge: 220 } } };
    await writeFile(path.join(dir, 'quick.json'), JSON.stringify(quick));
    const pageDefault = answerLength([{ artifact: quick }]).maxTokens; // what drpo-eval-view.ts runs with
    expect(pageDefault).toBe(320);
    const answerLimits = () =>
      new Set(
        server.requests
          .filter((r) => r.path === '/v1/chat/completions')
          .map((r) => r.body as { model: string; max_tokens: number; response_format?: unknown })
          .filter((b) => b.response_format === undefined)
          .map((b) => b.max_tokens),
      );
    const cases: [string[], number, string][] = [
      [['--alignment', 'quick.json', '--starting'], pageDefault, 'as the alignment’s run answered'],
      [['--baseline'], DEFAULT_ANSWER_TOKENS, 'the default'],
      [['--alignment', 'quick.json', '--max-tokens', '600'], 600, 'set by --max-tokens'],
    ];
    for (const [i, [extra, tokens, source]] of cases.entries()) {
      server.reset();
      const c = captureIo(dir);
      // A report of its own each (a report already at --out is not replaced without --force).
      const out = `len-${i}.json`;
      expect(await runEvalCommand([...scripted(), ...extra, '--limit', '2', '--out', out], c)).toBe(0);
      const report = JSON.parse(await readFile(path.join(dir, out), 'utf8')) as EvalReport;
      expect(report.settings.maxTokens).toBe(tokens);
      expect(answerLimits()).toEqual(new Set([tokens]));
      // Said before it starts, with where it came from, and in the table's heading.
      expect(c.err()).toContain(`Answers up to ${tokens} tokens, ${source}.\n`);
      expect(c.out()).toContain(`answers up to ${tokens} tokens)`);
    }
    // The page's range: what no run could use is refused in words.
    const c = captureIo(dir);
    expect(await runEvalCommand([...scripted(), '--baseline', '--max-tokens', '8'], c)).toBe(1);
    expect(c.err()).toContain('--max-tokens must be a whole number from 16 to 32768 (got "8").');
  });

  it('ends by saying in words that an alignment scored lower than its starting prompt (trust audit 2)', async () => {
    // The alignment's answers are weak and the judge says so: 2s for them, 4s for its starting prompt's.
    server.setResponder(({ body }) => {
      const messages = body.messages as { role: string; content: string }[];
      const format = body.response_format as { json_schema?: { schema?: { properties?: object } } } | undefined;
      const keys = Object.keys(format?.json_schema?.schema?.properties ?? {});
      if (keys.length === 0) {
        const weak = messages.some((m) => m.role === 'system' && m.content.includes('careful, warm'));
        return `${weak ? 'WEAK' : 'Good'} answer to: ${messages[messages.length - 1]!.content.slice(0, 40)}`;
      }
      const score = messages[messages.length - 1]!.content.includes('WEAK') ? 2 : 4;
      return JSON.stringify(Object.fromEntries(keys.map((k) => [k, { rationale: 'r', score }])));
    });
    const c = captureIo(dir);
    try {
      const argv = [...scripted(), '--alignment', 'careful.json', '--starting', '--limit', '3', '--out', 'low.json'];
      expect(await runEvalCommand(argv, c), c.err()).toBe(0);
    } finally {
      server.setResponder(null);
    }
    const report = JSON.parse(await readFile(path.join(dir, 'low.json'), 'utf8')) as EvalReport;
    const said = belowNotes(report);
    // The page's sentence (drpo-eval-results.ts shows belowNotes too), at the end of the output.
    expect(said).toEqual([
      '“Careful” scored lower than its starting prompt (2.00 vs 4.00 overall on 3 questions): on these questions ' +
        'it is not an improvement, though the gap may be noise (the same gap on each of 3 questions gives no 95% interval, and 3 are too few to rule out chance).',
    ]);
    expect(c.out().trimEnd().endsWith(said[0]!)).toBe(true);
    // Every answer of a row scored alike: no interval, said as the page says it, and no "±" (stats audit 3 and 5).
    expect(c.out()).toMatch(/Careful\s+2\.00 \(no spread\)/);
    expect(c.out()).toContain('(no spread): all the scores are equal, so no 95% interval.');
    expect(c.out()).not.toContain('±');
  });

  it.each([
    [['--model', 'm', '--baseline'], /--base-url/],
    [['--base-url', 'http://127.0.0.1:1/v1', '--baseline'], /--model/],
    [['--base-url', 'http://x/v1', '--model', 'm'], /Nothing to evaluate/],
    [['--base-url', 'http://x/v1', '--model', 'm', '--starting'], /--starting .* give it with --alignment FILE/],
    [['--base-url', 'http://x/v1', '--model', 'm', '--no-system', '--starting'], /give it with --alignment FILE/],
    // --icl-k changes only alignments' answers: with references alone it would change nothing, without a word.
    [
      ['--base-url', 'http://x/v1', '--model', 'm', '--baseline', '--icl-k', '2'],
      /--icl-k sets how many examples each alignment retrieves per query: give it with --alignment FILE\.\n {2}Run "drpo eval --help"/,
    ],
    [['--base-url', 'http://x/v1', '--model', 'm', '--bogus'], /bogus/],
    [['--base-url', 'http://x/v1', '--model', 'm', '--baseline', '--limit', '0'], /--limit must be a whole number/],
    [['--base-url', 'http://x/v1', '--model', 'm', '--alignment', 'missing.json'], /no such file/],
    [['--base-url', 'http://x/v1', '--model', 'm', '--alignment', 'broken.json'], /not a valid alignment file/],
    [
      ['--base-url', 'http://x/v1', '--model', 'm', '--baseline', '--queries', 'nope.csv'],
      /Cannot read the query file/,
    ],
    [['--base-url', 'not a url', '--model', 'm', '--baseline'], /./],
    [['--base-url', 'http://127.0.0.1:39/v1', '--model', 'm', '--baseline', '--concurrency', '0'], /--concurrency/],
  ])('bad arguments %j → exit 1 with a clear message', async (argv, message) => {
    const c = captureIo(dir);
    expect(await runEvalCommand(argv, c)).toBe(1);
    expect(c.err()).toMatch(message);
    expect(c.out()).toBe('');
  });

  it('refuses bad input in drpo optimize’s and drpo import-drpo’s style: one sentence, then where the options are', async () => {
    // Several problems: one sentence (the first three, then how many more), not a bulleted list.
    await writeFile(
      path.join(dir, 'many.json'),
      JSON.stringify({ format: 'drpo-alignment', version: 1, systemPrompt: 5, icl: 'x', scores: { train: 9 } }),
    );
    const c = captureIo(dir);
    expect(await runEvalCommand([...scripted(), '--alignment', 'many.json'], c)).toBe(1);
    expect(c.err()).toBe(
      'drpo eval: "many.json" is not a valid alignment file: systemPrompt: must be text; ' +
        'icl: must be a list of {"query", "answer"} examples; model: must be an object like {"id": "...", "engine": "webllm"} (and 6 more).\n' +
        '  Run "drpo eval --help" for all options.\n',
    );
    const i = captureIo(dir);
    expect(await runImportCommand(['many.json', '--out', 'converted.json'], i)).toBe(1);
    expect(i.err()).toMatch(
      /^drpo import-drpo: "many.json" could not be imported: systemPrompt: must be text; .* \(and 6 more\)\.\n {2}Run "drpo import-drpo --help" for all options\.\n$/,
    );
    // A bad value is said alike by both commands, the hint included.
    const bad = ['--base-url', 'http://127.0.0.1:39/v1', '--model', 'm', '--concurrency', '0'];
    const e = captureIo(dir);
    expect(await runEvalCommand([...bad, '--baseline'], e)).toBe(1);
    const o = captureIo(dir);
    expect(await runOptimizeCommand(bad, o)).toBe(1);
    expect(e.err()).toBe(o.err().replaceAll('optimize', 'eval'));
    expect(e.err()).toBe(
      'drpo eval: --concurrency must be a whole number from 1 to 64 (got "0").\n  Run "drpo eval --help" for all options.\n',
    );
  });

  it('an evaluation report or a query file given as an alignment is named for what it is, as the page does', async () => {
    const made = captureIo(dir);
    const argv = [...scripted(), '--baseline', '--limit', '2', '--out', 'scores.json', '--csv', 'scores.csv'];
    expect(await runEvalCommand(argv, made)).toBe(0);
    for (const file of ['scores.json', 'scores.csv', 'queries.jsonl']) {
      const text = await readFile(path.join(dir, file), 'utf8');
      const words = otherFileWords(text, file.endsWith('.json') ? JSON.parse(text) : undefined);
      expect(words).toMatch(file === 'queries.jsonl' ? /^it is a list of questions/ : /^it is an evaluation report/);
      const c = captureIo(dir);
      expect(await runEvalCommand([...scripted(), '--alignment', file], c)).toBe(1);
      expect(c.err()).toContain(`drpo eval: "${file}" is not an alignment file: ${words}.\n`);
      expect(c.err()).not.toMatch(/format: must be|not a valid alignment file/);
      // drpo import-drpo reads alignment files the same way, and says the same.
      const i = captureIo(dir);
      expect(await runImportCommand([file, '--out', 'converted.json'], i)).toBe(1);
      expect(i.err()).toContain(`drpo import-drpo: "${file}" could not be imported: ${words}.\n`);
    }
  });

  it('--help prints usage (exit 0)', async () => {
    const c = captureIo(dir);
    expect(await runEvalCommand(['--help'], c)).toBe(0);
    expect(c.out()).toMatch(/Usage: drpo eval/);
    // --alignment is one candidate of three, not required: --baseline alone runs, as the help says.
    expect(c.out()).toMatch(/^Usage: drpo eval --base-url URL --model ID \[--alignment FILE\]… \[--baseline\]/);
    expect(c.out()).toContain('Give at least one candidate: --alignment FILE, --baseline or --no-system.');
  });

  it('an unreachable endpoint → exit 2', async () => {
    const dead = await startScriptedServer();
    const url = dead.url;
    await dead.close();
    const c = captureIo(dir);
    expect(
      await runEvalCommand(['--base-url', url, '--model', 'scripted-small', '--baseline', '--limit', '1'], c),
    ).toBe(2);
    expect(c.err()).toMatch(/drpo eval: /);
  });

  it('a misspelt model → exit 1 naming the close match; a refused request → exit 2', async () => {
    const c = captureIo(dir);
    expect(await runEvalCommand(['--base-url', server.url, '--model', 'scripted-smal', '--baseline'], c)).toBe(1);
    expect(c.err()).toMatch(/scripted-small/);

    server.setFaults({ mode: 'http-401', paths: ['/chat/completions'] });
    try {
      const c2 = captureIo(dir);
      const argv = ['--base-url', server.url, '--model', 'scripted-small', '--baseline', '--limit', '1'];
      expect(await runEvalCommand(argv, c2)).toBe(2);
      expect(c2.err()).toMatch(/drpo eval: /);
    } finally {
      server.setFaults(null);
    }
  });

  it('a server that lists no models → exit 1 saying so and what to do, not pointing at --help', async () => {
    server.setModels([]);
    try {
      const c = captureIo(dir);
      expect(await runEvalCommand([...scripted(), '--baseline', '--limit', '1'], c)).toBe(1);
      expect(c.err()).toMatch(/^drpo eval: The server lists no models, so "scripted-small" cannot be used yet\.$/m);
      expect(c.err()).toMatch(/Load or pull a model on the server first/);
      expect(c.err()).not.toMatch(/--help/);
    } finally {
      server.reset();
    }
  });

  it('an endpoint error says which option helps, as optimize does', async () => {
    server.setHugeBytes(2 * 2 ** 20);
    server.setFaults({ mode: 'huge', paths: ['/chat/completions'] });
    try {
      const c = captureIo(dir);
      const argv = [...scripted(), '--baseline', '--limit', '1', '--max-reply-mb', '1', '--out', 'huge.json'];
      expect(await runEvalCommand(argv, c)).toBe(2);
      expect(c.err()).toMatch(/larger than 1 MB/);
      expect(c.err()).toMatch(/raise --max-reply-mb/);
    } finally {
      server.setFaults(null);
      server.setHugeBytes(1024 ** 3);
    }
  });

  it('Ctrl+C keeps the finished part: partial report written, exit 130', async () => {
    server.setDelay(40);
    try {
      const c = captureIoStoppedOnceAnswered(dir);
      const argv = ['--base-url', server.url, '--model', 'scripted-small', '--baseline', '--out', 'partial.json'];
      expect(await runEvalCommand(argv, c)).toBe(130);
      const report = JSON.parse(await readFile(path.join(dir, 'partial.json'), 'utf8')) as EvalReport;
      expect(report.complete).toBe(false);
      expect(c.out()).toMatch(/Stopped early/);
      // The last progress line counts what the report counts: answers judged, of all asked.
      const asked = report.candidates.length * report.queries.total;
      const judged = report.candidates.reduce((n, x) => n + x.rows.length, 0);
      const scored = report.candidates.reduce((n, x) => n + x.counts.scored, 0);
      const last = c
        .err()
        .match(/^answers: .*$/gm)
        ?.at(-1);
      expect(last).toMatch(new RegExp(`^answers: \\d+/${asked} written, ${judged}/${asked} judged$`));
      expect(c.out()).toContain(`Stopped early (${scored} of ${asked} answers scored)`);
    } finally {
      server.setDelay(0);
    }
  });
});

/** A report as its answers and scores say it: without when it was made. */
const sansDate = (text: string) => {
  const { createdAt: _made, ...rest } = JSON.parse(text) as EvalReport;
  return rest;
};

describe('drpo eval: a report that cannot be written', () => {
  it('says which file and why, without the "--help" line meant for mistyped options', async () => {
    const out = path.join(await mkdtemp(path.join(dir, 'taken-')), 'r.json');
    server.reset();
    // Something takes the report's name while the evaluation runs (here a folder): the work is done and only
    // its writing fails, so the options are not what went wrong.
    server.setResponder((input) => {
      if (input.callIndex === 2) mkdirSync(out);
      return defaultResponder(input);
    });
    const c = captureIo(dir);
    try {
      expect(await runEvalCommand([...scripted(), '--no-system', '--limit', '3', '--out', out], c)).toBe(1);
    } finally {
      server.setResponder(null);
    }
    expect(c.err()).toMatch(/drpo eval: Cannot write ".*r\.json" \(E[A-Z]+\)\./);
    expect(c.err()).not.toMatch(/--help/);
  });
});

describe('drpo eval: empty replies and a report already at --out (as drpo optimize)', () => {
  const argv = () => [...scripted(), '--no-system', '--baseline', '--limit', '12'];

  it('the endpoint turning to empty replies mid-run exits 2 naming the call; a resume once fixed gives the same report', async () => {
    server.reset();
    expect(await runEvalCommand([...argv(), '--out', 'whole.json'], captureIo(dir))).toBe(0);
    server.reset();
    server.setResponder((input) => {
      if (input.callIndex === 8) server.setFaults({ mode: 'empty' });
      return defaultResponder(input);
    });
    const c = captureIo(dir);
    try {
      expect(await runEvalCommand([...argv(), '--out', 'emp.json'], c)).toBe(2);
    } finally {
      server.setResponder(null);
      server.setFaults(null);
    }
    const err = c.err();
    expect(err).toMatch(/drpo eval: The endpoint began sending empty (answers|replies) at call (9|1\d) \(the last/);
    // The fault summary counts them, before the error.
    expect(err).toMatch(/came back empty[^]*drpo eval:/);
    expect(err).toMatch(/the address and key are right: check the server and its model/);
    expect(err).toMatch(
      /Everything finished so far is in the checkpoint\.\nResume with: drpo eval --resume emp\.json\.checkpoint\.json\n$/,
    );
    expect(c.out()).toBe('');
    expect(existsSync(path.join(dir, 'emp.json'))).toBe(false);
    const cpFile = path.join(dir, 'emp.json.checkpoint.json');
    const saved = JSON.parse(await readFile(cpFile, 'utf8')) as { checkpoint: { calls: Record<string, ChatResult> } };
    const calls = Object.values(saved.checkpoint.calls);
    expect(calls.length).toBeGreaterThan(0);
    // Not one empty reply kept: a resume asks them again.
    expect(calls.filter((r) => r.choices.every((x) => !x.text.trim()))).toEqual([]);

    server.reset();
    const again = captureIo(dir);
    expect(await runEvalCommand(['--resume', 'emp.json.checkpoint.json'], again), again.err()).toBe(0);
    expect(again.err()).toMatch(/Resuming the evaluation \(\d+ calls already made\)/);
    // Only what was not finished is asked (the model listing aside).
    const asked = server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThan(48);
    expect(sansDate(await readFile(path.join(dir, 'emp.json'), 'utf8'))).toEqual(
      sansDate(await readFile(path.join(dir, 'whole.json'), 'utf8')),
    );
    // Done: the checkpoint goes.
    expect(existsSync(cpFile)).toBe(false);
  });

  it('--out holding a report: refused before any call (exit 1) naming a free name and --force; --force replaces it', async () => {
    server.reset();
    expect(
      await runEvalCommand([...scripted(), '--baseline', '--limit', '2', '--out', 'kept.json'], captureIo(dir)),
    ).toBe(0);
    const before = await readFile(path.join(dir, 'kept.json'), 'utf8');
    server.reset();
    const c = captureIo(dir);
    const again = [...scripted(), '--no-system', '--limit', '2', '--out', 'kept.json'];
    expect(await runEvalCommand(again, c)).toBe(1);
    expect(c.err()).toMatch(
      /^drpo eval: --out "kept\.json" already holds an evaluation report \(Baseline; made [^)]+\); this evaluation would replace it\. To keep it, pass another --out \(e\.g\. --out kept-2\.json\); to replace it, pass --force\.\n/,
    );
    expect(server.requests).toHaveLength(0);
    expect(await readFile(path.join(dir, 'kept.json'), 'utf8')).toBe(before);
    const forced = captureIo(dir);
    expect(await runEvalCommand([...again, '--force'], forced), forced.err()).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'kept.json'), 'utf8')) as EvalReport;
    expect(report.candidates.map((x) => x.label)).toEqual(['No system prompt']);
  });

  it('--out holding a file too large to read is said to be one, with its size, not called something else', async () => {
    // Sparse: 65 MB on paper, nothing on disk. A report of 20,000 questions and three candidates is of that order.
    // A name of its own, removed after: the folder is shared, and another test's --out met this file when shuffled.
    const file = path.join(dir, 'too-large-to-read.json');
    await writeFile(file, '');
    await truncate(file, 65 * 2 ** 20);
    try {
      server.reset();
      const c = captureIo(dir);
      const argv = [...scripted(), '--no-system', '--limit', '2', '--out', 'too-large-to-read.json'];
      expect(await runEvalCommand(argv, c)).toBe(1);
      expect(c.err()).toMatch(
        /^drpo eval: --out "too-large-to-read\.json" already holds a large file \(65 MB\) that was not read; this evaluation would replace it\. To keep it, pass another --out/,
      );
      expect(server.requests).toHaveLength(0);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('a checkpoint over the size limit given to --resume is refused from its size, before it is read or any call', async () => {
    server.reset();
    const big = path.join(dir, 'big.json.checkpoint.json');
    await writeFile(big, '');
    await truncate(big, 300 * 2 ** 20);
    const probe = await open(big, 'r');
    const proto = Object.getPrototypeOf(probe) as { readFile: () => Promise<Buffer> };
    await probe.close();
    const read = vi.spyOn(proto, 'readFile');
    try {
      const c = captureIo(dir);
      expect(await runEvalCommand(['--resume', 'big.json.checkpoint.json'], c)).toBe(1);
      expect(c.err()).toBe(
        'drpo eval: The checkpoint "big.json.checkpoint.json" is 300 MB; the limit is 256 MB. Is it the right file?\n' +
          '  Run "drpo eval --help" for all options.\n',
      );
      expect(read).not.toHaveBeenCalled();
      expect(server.requests).toHaveLength(0);
    } finally {
      read.mockRestore();
      await rm(big);
    }
  });

  it('an evaluation for --out that stopped before it was done: a new one is refused naming the resume, --force starts over', async () => {
    server.reset();
    server.setResponder((input) => {
      if (input.callIndex === 8) server.setFaults({ mode: 'empty' });
      return defaultResponder(input);
    });
    try {
      expect(await runEvalCommand([...argv(), '--out', 'stopped.json'], captureIo(dir))).toBe(2);
    } finally {
      server.setResponder(null);
      server.setFaults(null);
    }
    server.reset();
    const c = captureIo(dir);
    expect(await runEvalCommand([...argv(), '--out', 'stopped.json'], c)).toBe(1);
    expect(c.err()).toMatch(
      /An evaluation for --out "stopped\.json" stopped before it was done; its checkpoint is stopped\.json\.checkpoint\.json\. To continue it, run:\n {2}drpo eval --resume stopped\.json\.checkpoint\.json\nTo start over instead, pass --force\./,
    );
    expect(server.requests).toHaveLength(0);
    expect(await runEvalCommand([...argv(), '--out', 'stopped.json', '--force'], captureIo(dir))).toBe(0);
    expect(existsSync(path.join(dir, 'stopped.json.checkpoint.json'))).toBe(false);
  });

  it('--force over a stopped evaluation removes its checkpoint even when the new one stops before any call', async () => {
    server.reset();
    server.setResponder((input) => {
      if (input.callIndex === 8) server.setFaults({ mode: 'empty' });
      return defaultResponder(input);
    });
    try {
      expect(await runEvalCommand([...argv(), '--out', 'forced.json'], captureIo(dir))).toBe(2);
    } finally {
      server.setResponder(null);
      server.setFaults(null);
    }
    const cpFile = path.join(dir, 'forced.json.checkpoint.json');
    expect(existsSync(cpFile)).toBe(true);
    // Started over at a server that is down: it fails before its first call.
    const dead = ['--base-url', 'http://127.0.0.1:39/v1', '--model', 'scripted-small', '--no-system', '--limit', '12'];
    const forced = captureIo(dir);
    expect(await runEvalCommand([...dead, '--out', 'forced.json', '--force'], forced)).toBe(2);
    expect(forced.err()).toContain(
      'note: starting over (--force): removed the checkpoint of the stopped evaluation, forced.json.checkpoint.json.',
    );
    expect(forced.err()).not.toMatch(/Resume with|checkpoint is kept/);
    expect(existsSync(cpFile)).toBe(false);
    // The next plain run is not refused over the evaluation --force discarded.
    server.reset();
    const next = captureIo(dir);
    expect(await runEvalCommand([...argv(), '--out', 'forced.json'], next), next.err()).toBe(0);
    expect(next.err()).not.toMatch(/stopped before it was done/);
  });
});

describe('drpo eval: what it was asked and what it does', () => {
  it('--limit past the set says it uses them all (the built-in set and a file)', async () => {
    const c = captureIo(dir);
    expect(await runEvalCommand([...scripted(), '--no-system', '--limit', '100000', '--out', 'all.json'], c)).toBe(0);
    const n = BUILTIN_EVAL.length;
    expect(c.err()).toContain(`note: --limit 100000, but the built-in set holds ${n} queries: using all ${n}.`);
    const report = JSON.parse(await readFile(path.join(dir, 'all.json'), 'utf8')) as EvalReport;
    expect(report.queries.total).toBe(n);
    const f = captureIo(dir);
    const argv = [...scripted(), '--no-system', '--queries', 'queries.jsonl', '--limit', '3', '--out', 'f.json'];
    expect(await runEvalCommand(argv, f)).toBe(0);
    expect(f.err()).toContain('note: --limit 3, but "queries.jsonl" holds 2 queries: using all 2.');
    const exact = captureIo(dir);
    const argv2 = [...scripted(), '--no-system', '--queries', 'queries.jsonl', '--limit', '2', '--out', 'f2.json'];
    expect(await runEvalCommand(argv2, exact)).toBe(0);
    expect(exact.err()).not.toMatch(/--limit/);
  });

  it('the same --alignment file twice is evaluated once, with a note', async () => {
    const c = captureIo(dir);
    const argv = [...scripted(), '--alignment', 'careful.json', '--alignment', 'careful.json'];
    const code = await runEvalCommand(
      [...argv, '--alignment', './careful.json', '--queries', 'queries.jsonl', '--out', 'twice.json'],
      c,
    );
    expect(code).toBe(0);
    expect(c.err()).toContain('note: --alignment careful.json is given more than once; evaluating it once.');
    expect(c.err()).toContain('note: --alignment ./careful.json is the same file as careful.json; evaluating it once.');
    const report = JSON.parse(await readFile(path.join(dir, 'twice.json'), 'utf8')) as EvalReport;
    expect(report.candidates.map((x) => x.label)).toEqual(['Careful']);
  });
});

describe('drpo eval progress lines', () => {
  type Phase = 'answer' | 'judge';
  /**
   * A job's progress events: each step told when it starts and when it ends (`done` counts both phases, `answered`
   * and `judged` each). `told` is the phase the event names: at concurrency > 1 it stays 'answer' while answers
   * are judged as they are written, so the printer must count from `answered` and `judged`, not from the phase.
   */
  const job = (steps: Phase[], total: number, told?: (i: number) => Phase) => {
    const events: EvalProgress[] = [];
    let done = 0;
    let answered = 0;
    let judged = 0;
    steps.forEach((step, i) => {
      const phase = told?.(i) ?? step;
      events.push({ phase, done, total, candidate: 'a', queryId: 'q', answered, judged });
      if (step === 'answer') answered++;
      else judged++;
      events.push({ phase, done: ++done, total, candidate: 'a', queryId: 'q', answered, judged });
    });
    return events;
  };
  const printed = (events: EvalProgress[], stop = false) => {
    let err = '';
    const print = progressPrinter({ stderr: { write: (t: string) => (err += t) } });
    for (const e of events) print(e);
    if (stop) print.end();
    return err.trim().split('\n');
  };
  const answers = (n: number): Phase[] => Array<Phase>(n).fill('answer');
  const judgements = (n: number): Phase[] => Array<Phase>(n).fill('judge');

  it('count answers, the unit of the report: written, then judged, one line per tenth of the way', () => {
    const lines = printed(job([...answers(60), ...judgements(60)], 120));
    expect(lines[0]).toBe('answers: 0/60 written, 0/60 judged');
    expect(lines).toContain('answers: 48/60 written, 0/60 judged');
    expect(lines).toContain('answers: 60/60 written, 12/60 judged');
    expect(lines.at(-1)).toBe('answers: 60/60 written, 60/60 judged');
    // The start, 10 %, …, 90 % and the end: 11 lines however long the job.
    expect(lines).toHaveLength(11);
    expect(printed(job([...answers(500), ...judgements(500)], 1000))).toHaveLength(11);
  });

  it('answers judged as they are written are counted as well (whatever order the job runs them in)', () => {
    const steps = answers(4).flatMap((a) => [a, 'judge' as const]);
    expect(printed(job(steps, 8)).at(-1)).toBe('answers: 4/4 written, 4/4 judged');
    // As the pipelined evaluation tells it: the phase says 'answer' until the last answer is written, while
    // judgements finish beside them. Never more written than asked (it printed "7/4 written" before).
    const lines = printed(job(steps, 8, (i) => (i < 6 ? 'answer' : 'judge')));
    expect(lines).toContain('answers: 2/4 written, 1/4 judged');
    expect(lines.at(-1)).toBe('answers: 4/4 written, 4/4 judged');
  });

  it('a stop between two lines says where it stood, once', () => {
    const events = job([...answers(30), ...judgements(13)], 60);
    const lines = printed(events, true);
    expect(lines.at(-2)).toBe('answers: 30/30 written, 12/30 judged');
    expect(lines.at(-1)).toBe('answers: 30/30 written, 13/30 judged');
    // Nothing new since the last line: nothing more.
    expect(printed(job(answers(2), 4), true)).toEqual([
      'answers: 0/2 written, 0/2 judged',
      'answers: 1/2 written, 0/2 judged',
      'answers: 2/2 written, 0/2 judged',
    ]);
  });

  it('pairwise comparing counts its own steps and never says 100% before the end', () => {
    let err = '';
    const print = progressPrinter({ stderr: { write: (t: string) => (err += t) } });
    for (const e of job([...answers(1), ...judgements(1)], 2)) print(e);
    for (let done = 1; done <= 1000; done++)
      print({ phase: 'pairwise', done, total: 1000, candidate: 'a vs b', queryId: 'q' });
    const lines = err.trim().split('\n');
    const pairwise = lines.filter((l) => l.startsWith('pairwise: '));
    expect(pairwise).toHaveLength(11);
    expect(pairwise.slice(0, -1).every((l) => !l.includes('(100%)'))).toBe(true);
    expect(pairwise.at(-1)).toBe('pairwise: 1000/1000 (100%)');
    err = '';
    progressPrinter({ stderr: { write: (t: string) => (err += t) } })({
      phase: 'pairwise',
      done: 1999,
      total: 2000,
      candidate: 'a',
      queryId: 'q',
    });
    expect(err).toBe('pairwise: 1999/2000 (99%)\n');
  });
});

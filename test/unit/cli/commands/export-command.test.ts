/**
 * `drpo export FILE --format NAME`: the page's "Use it" exports from the command line, byte for byte the builders'
 * text, on stdout (or --out) with what a static file loses of the examples on stderr; bad input refused in words.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/cli/drpo';
import { exportExamplesNote } from '../../../../src/core/formats/alignment-facts';
import { EXPORT_FORMATS, toOllamaModelfile, toOpenAiPython } from '../../../../src/core/formats/export-formats';
import { importIclExamples } from '../../../../src/core/formats/alignment-import';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';
import { sampleArtifact } from '../../../support/artifacts';
import { captureIo } from '../../../support/cli-io';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'drpo-export-'));
});

const write = (name: string, value: unknown) =>
  writeFileSync(path.join(dir, name), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');

/** A run's result measured with 2 of its 4 examples retrieved per question. */
const retrieving: AlignmentArtifact = sampleArtifact({
  name: 'Retrieving',
  outcome: 'improved',
  icl: ['a', 'b', 'c', 'd'].map((q) => ({ query: `Question ${q}?`, answer: `Answer ${q}.` })),
  examplesPerQuery: 2,
  scores: { train: 4, validation: 3.6, initialValidation: 3.1, validationQueries: 6 },
});

async function drpo(...argv: string[]) {
  const io = captureIo(dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('drpo export', () => {
  it('prints every format exactly as the page builds it, on stdout', async () => {
    write('a.json', retrieving);
    for (const f of EXPORT_FORMATS) {
      const r = await drpo('export', 'a.json', '--format', f.id);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(f.build(retrieving));
    }
    // The words of the page's labels are names too: "Ollama Modelfile", "OpenAI SDK (Python)", "llama.cpp".
    for (const [alias, id] of [
      ['modelfile', 'ollama'],
      ['python', 'openai'],
      ['llama.cpp', 'llamacpp'],
      ['Ollama', 'ollama'],
    ]) {
      const r = await drpo('export', 'a.json', '--format', alias!);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(EXPORT_FORMATS.find((f) => f.id === id)!.build(retrieving));
    }
  });

  it('says on stderr, in the page’s words, what a file loses of examples retrieved per question', async () => {
    write('a.json', retrieving);
    const r = await drpo('export', 'a.json', '--format', 'ollama');
    expect(r.out).toBe(toOllamaModelfile(retrieving));
    expect(r.err).toBe(`note: ${exportExamplesNote(retrieving, 'the Ollama Modelfile export carries').text}\n`);
    expect(r.err).toBe(
      'note: Its held-out score was measured with 2 examples retrieved per question, the most similar of its 4; a file cannot choose per question, so the Ollama Modelfile export carries the first 2 for every question, and answers may differ from those measured.\n',
    );
    // Nothing lost: every example for every question, or none at all, and stderr stays empty.
    for (const a of [
      { ...retrieving, examplesPerQuery: 4 },
      { ...retrieving, icl: [], examplesPerQuery: 0 },
    ]) {
      write('b.json', a);
      const quiet = await drpo('export', 'b.json', '--format', 'messages');
      expect(quiet.code).toBe(0);
      expect(quiet.err).toBe('');
    }
  });

  it('accepts what drpo import-drpo converts: a DRPO examples file', async () => {
    const examples = ['x', 'y', 'z', 'w'].map((q) => ({ query: `Q ${q}?`, answer: `<START>A ${q}.<END>` }));
    write('icl.json', examples);
    const r = await drpo('export', 'icl.json', '--format', 'openai');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(toOpenAiPython(importIclExamples(examples, 'icl.json')));
    // Never measured: the studio's own choice per question is what it differs from.
    expect(r.err).toMatch(
      /^note: The studio gives each question 3 examples, the most similar of its 4; .* the studio’s\.\n$/,
    );
  });

  it('--out writes the file, and refuses to replace one already there without --force', async () => {
    write('a.json', retrieving);
    const first = await drpo('export', 'a.json', '--format', 'llamacpp', '--out', 'prompt.txt');
    expect(first.code, first.err).toBe(0);
    expect(read('prompt.txt')).toBe(EXPORT_FORMATS.find((f) => f.id === 'llamacpp')!.build(retrieving));
    expect(first.out).toMatch(/^Wrote the llama\.cpp export of the alignment for .* → .*prompt\.txt\n$/);
    // The note goes to stderr with --out too.
    expect(first.err).toMatch(/^note: .*the llama\.cpp export carries the first 2 for every question/);

    write('prompt.txt', 'my own notes\n');
    const again = await drpo('export', 'a.json', '--format', 'llamacpp', '--out', 'prompt.txt');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /^drpo export: --out "prompt\.txt" already holds a file; the export would replace it\. To keep it, pass another --out \(e\.g\. --out prompt-2\.txt\); to replace it, pass --force\./,
    );
    expect(read('prompt.txt')).toBe('my own notes\n');
    // An alignment there is named as one.
    write('other.json', retrieving);
    const over = await drpo('export', 'a.json', '--format', 'messages', '--out', 'other.json');
    expect(over.code).toBe(1);
    expect(over.err).toMatch(/already holds an alignment \("Retrieving", for /);

    const forced = await drpo('export', 'a.json', '--format', 'llamacpp', '--out', 'prompt.txt', '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(read('prompt.txt')).toBe(EXPORT_FORMATS.find((f) => f.id === 'llamacpp')!.build(retrieving));
  });

  it('refuses bad input with exit 1, a message naming the problem, and nothing on stdout', async () => {
    write('a.json', retrieving);
    write('broken.json', '{"format": "drpo-alignment", ');
    write('report.json', { format: 'drpo-eval', version: 1, candidates: [], createdAt: '2026-01-01T00:00:00Z' });
    write('queries.jsonl', '{"query": "How do I boil an egg?"}\n{"query": "Why is the sky blue?"}\n');
    write('notes.json', { hello: 'world', n: 1 });
    write('bad.json', { ...retrieving, systemPrompt: 42 });
    const cases: [string[], RegExp][] = [
      [
        ['export', 'missing.json', '--format', 'ollama'],
        /^drpo export: Cannot read the alignment file "missing\.json": no such file\.\n/,
      ],
      [
        ['export', 'broken.json', '--format', 'ollama'],
        /^drpo export: "broken\.json" is not a valid alignment file: it is not JSON/,
      ],
      [
        ['export', 'queries.jsonl', '--format', 'ollama'],
        /^drpo export: "queries\.jsonl" is not an alignment file: it is a list of questions/,
      ],
      [
        ['export', 'notes.json', '--format', 'ollama'],
        /^drpo export: "notes\.json" is not a valid alignment file: it is neither/,
      ],
      [
        ['export', 'bad.json', '--format', 'ollama'],
        /^drpo export: "bad\.json" is not a valid alignment file: .*systemPrompt/,
      ],
      [
        ['export', 'a.json', '--format', 'olama'],
        /^drpo export: Unknown --format "olama": choose ollama, messages, openai, webllm or llamacpp\. Did you mean ollama\?\n/,
      ],
      [
        ['export', 'a.json', '--format', 'gguf'],
        /^drpo export: Unknown --format "gguf": choose ollama, messages, openai, webllm or llamacpp\.\n/,
      ],
      [
        ['export', 'a.json'],
        /^drpo export: Give the format to export with --format: ollama, messages, openai, webllm or llamacpp\.\n/,
      ],
      [['export', '--format', 'ollama'], /^drpo export: Give exactly one alignment FILE to export\.\n/],
      [['export', 'a.json', 'b.json', '--format', 'ollama'], /exactly one alignment FILE/],
      [['export', 'a.json', '--format'], /^drpo export: --format needs a value/],
      [
        ['export', 'a.json', '--format', 'ollama', '--out', 'a.json'],
        /--out "a\.json" is also the alignment file you export; writing there would replace it/,
      ],
      [['export', 'a.json', '--format', 'ollama', '--out', 'nowhere/Modelfile'], /the folder .* does not exist/],
    ];
    for (const [argv, message] of cases) {
      const r = await drpo(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/Run "drpo export --help" for all options\.\n$/);
      expect(r.out).toBe('');
    }
    // The report is named for what it is, and the alignment given as --out is untouched.
    const report = await drpo('export', 'report.json', '--format', 'ollama');
    expect(report.err).toMatch(/"report\.json" is not an alignment file: it is .*report/);
    expect(JSON.parse(read('a.json'))).toEqual(retrieving);
  });

  it('is in drpo --help, and drpo help export prints its options with every format', async () => {
    const main = await drpo('--help');
    expect(main.out).toMatch(/^ {2}export {8}write an alignment for Ollama, llama\.cpp/m);
    const help = await drpo('help', 'export');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: drpo export FILE --format NAME/);
    for (const f of EXPORT_FORMATS) expect(help.out).toContain(`${f.id.padEnd(10)} ${f.label}`);
    const typo = await drpo('exprot');
    expect(typo.err).toMatch(/Did you mean export\?/);
  });
});

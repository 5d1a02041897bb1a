/** Issue 12 item 10: every "Use it" export format, byte for byte. */
import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  toLlamaCppSystemPrompt,
  toMessages,
  toMessagesJson,
  toOllamaModelfile,
  toOpenAiPython,
  toWebLlmSnippet,
} from '../../../../src/core/formats/export-formats';
import { modelWords, ollamaModelName } from '../../../../src/core/formats/model-names';
import { importIclExamples } from '../../../../src/core/formats/alignment-import';
import {
  comparisonPrompt,
  exportExamplesNote,
  fixedExamples,
  runAlignmentName,
} from '../../../../src/core/formats/alignment-facts';
import type { AlignmentArtifact } from '../../../../src/core/contracts/alignment';
import { sampleArtifact } from '../../../support/artifacts';

const artifact: AlignmentArtifact = sampleArtifact({
  systemPrompt: 'You are a helpful assistant.\n- Answer first, then explain.',
  icl: [
    { query: 'What is 2 + 2?', answer: '<START>It is 4.<END>' },
    { query: 'Say "hi"', answer: 'He said """hi"""' },
    { query: 'Third example', answer: 'Not exported: k is 2.' },
  ],
  model: { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', engine: 'webllm' },
  judge: { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', engine: 'webllm' },
  preset: 'quick',
  settings: { iclKInference: 2 },
  scores: { train: 3.5 },
  lineage: [
    { depth: 0, prompt: 'You are a helpful assistant.', reward: 3 },
    { depth: 1, prompt: 'You are a helpful assistant.\n- Answer first, then explain.', reward: 3.5 },
  ],
  createdAt: '2026-01-01T00:00:00.000Z',
  name: 'Eggs\nand more',
});

const endpointArtifact: AlignmentArtifact = {
  ...artifact,
  model: { id: 'qwen2.5:1.5b', engine: 'openai' },
  icl: [],
  settings: {},
  name: undefined,
};

describe('alignment facts', () => {
  it('reads the starting prompt and the examples to ship, preferring recorded fields', () => {
    expect(comparisonPrompt(artifact)).toBe('You are a helpful assistant.');
    expect(comparisonPrompt({ ...artifact, initialPrompt: 'Be brief.' })).toBe('Be brief.');
    expect(comparisonPrompt({ ...artifact, lineage: [] })).toBe('You are a helpful assistant.');
    expect(fixedExamples(artifact).map((e) => e.query)).toEqual(['What is 2 + 2?', 'Say "hi"']);
    expect(fixedExamples({ ...artifact, examplesPerQuery: 0 })).toEqual([]);
    expect(fixedExamples({ ...artifact, examplesPerQuery: 9 })).toHaveLength(3);
  });

  it('says what a static export carries of the examples, and when it differs from what was measured', () => {
    // 2 of 3 retrieved per question, and a held-out score taken that way: a file holds the first 2 for all.
    const measured = exportExamplesNote({ ...artifact, scores: { train: 3.5, validation: 4 } });
    expect(measured).toEqual({
      lost: true,
      text: 'Its held-out score was measured with 2 examples retrieved per question, the most similar of its 3; a file cannot choose per question, so exports carry the first 2 for every question, and answers may differ from those measured.',
    });
    // The subject is the caller's: the CLI names the format it writes.
    expect(exportExamplesNote(artifact, 'the Ollama Modelfile export carries').text).toBe(
      'The studio gives each question 2 examples, the most similar of its 3; a file cannot choose per question, so the Ollama Modelfile export carries the first 2 for every question, and answers may differ from the studio’s.',
    );
    // Every example for every question, or none: nothing is lost.
    expect(exportExamplesNote({ ...artifact, examplesPerQuery: 3 })).toEqual({
      lost: false,
      text: 'Exports carry the prompt and all 3 examples, which the studio gives every question too (most similar first; a file keeps one order).',
    });
    expect(exportExamplesNote({ ...artifact, icl: artifact.icl.slice(0, 1), examplesPerQuery: 1 }).text).toMatch(
      /^Exports carry the prompt and its one example, /,
    );
    for (const a of [{ ...artifact, examplesPerQuery: 0 }, endpointArtifact])
      expect(exportExamplesNote(a)).toEqual({
        lost: false,
        text: 'Exports carry the prompt alone: the alignment answers without examples.',
      });
  });

  it('maps WebLLM ids to Ollama tags and keeps endpoint ids', () => {
    expect(ollamaModelName(artifact.model)).toEqual({ name: 'llama3.2:1b', known: true });
    expect(ollamaModelName({ id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', engine: 'webllm' }).name).toBe('qwen2.5:0.5b');
    expect(ollamaModelName({ id: 'SmolLM2-360M-Instruct-q0f16-MLC', engine: 'webllm' }).name).toBe('smollm2:360m');
    expect(ollamaModelName({ id: 'Odd-Model-MLC', engine: 'webllm' })).toEqual({ name: 'Odd-Model-MLC', known: false });
    expect(ollamaModelName(endpointArtifact.model)).toEqual({ name: 'qwen2.5:1.5b', known: true });
  });
});

describe('an alignment for any model (converted DRPO examples)', () => {
  const examples = importIclExamples([{ query: 'Hi?', answer: 'Hello.' }], 'icl-examples.json');
  it('is said to be for any model, and its Modelfile asks for the model to put after FROM', () => {
    expect(modelWords(examples.model)).toBe('any model');
    expect(modelWords({ id: 'any', engine: 'openai' })).toBe('any');
    expect(ollamaModelName(examples.model).known).toBe(false);
    expect(toOllamaModelfile(examples)).toContain(
      "# The alignment is for any model: put your model's Ollama name after FROM.",
    );
    expect(runAlignmentName({ ...examples, name: '' })).toBe('Alignment for any model');
    expect(toWebLlmSnippet(examples)).toContain(
      '// The alignment is for any model; choose the one WebLLM offers that you use.',
    );
    expect(toWebLlmSnippet(examples)).not.toMatch(/Made with any/);
  });
});

describe('export formats', () => {
  it('messages: system prompt, then user/assistant pairs without DRPO markers', () => {
    expect(toMessages(artifact)).toEqual([
      { role: 'system', content: 'You are a helpful assistant.\n- Answer first, then explain.' },
      { role: 'user', content: 'What is 2 + 2?' },
      { role: 'assistant', content: 'It is 4.' },
      { role: 'user', content: 'Say "hi"' },
      { role: 'assistant', content: 'He said """hi"""' },
    ]);
    expect(toMessagesJson(endpointArtifact)).toBe(
      '[\n  {\n    "role": "system",\n    "content": "You are a helpful assistant.\\n- Answer first, then explain."\n  }\n]\n',
    );
  });

  it('Ollama Modelfile: FROM, SYSTEM and MESSAGE pairs, triple quotes kept parseable', () => {
    expect(toOllamaModelfile(artifact)).toBe(
      [
        '# Ollama Modelfile for the alignment “Eggs and more”.',
        '# Create and run it with:',
        '#   ollama create drpo-aligned -f Modelfile',
        '#   ollama run drpo-aligned',
        'FROM llama3.2:1b',
        'SYSTEM """You are a helpful assistant.\n- Answer first, then explain."""',
        'MESSAGE user """What is 2 + 2?"""',
        'MESSAGE assistant """It is 4."""',
        'MESSAGE user """Say "hi"\n"""',
        'MESSAGE assistant """He said \'\'\'hi\'\'\'"""',
        '',
      ].join('\n'),
    );
    const unknown = toOllamaModelfile({ ...endpointArtifact, model: { id: 'Odd-MLC', engine: 'webllm' } });
    expect(unknown).toBe(
      [
        '# Ollama Modelfile for the alignment made with DRPO Studio.',
        '# Create and run it with:',
        '#   ollama create drpo-aligned -f Modelfile',
        '#   ollama run drpo-aligned',
        '# The alignment was made with Odd-MLC: put its Ollama name after FROM.',
        'FROM Odd-MLC',
        'SYSTEM """You are a helpful assistant.\n- Answer first, then explain."""',
        '',
      ].join('\n'),
    );
  });

  it('Ollama Modelfile: a model id with a line break stays on the FROM line (no injected instructions)', () => {
    const odd = { ...endpointArtifact, model: { id: 'llama3.2\nPARAMETER temperature 2', engine: 'openai' } };
    const lines = toOllamaModelfile(odd).split('\n');
    expect(lines.filter((l) => l.startsWith('PARAMETER'))).toEqual([]);
    expect(lines).toContain('FROM llama3.2 PARAMETER temperature 2');
  });

  it('OpenAI SDK snippet (Python) with the messages embedded', () => {
    expect(toOpenAiPython(artifact)).toBe(
      [
        '# The alignment “Eggs and more” with the OpenAI Python SDK (pip install openai).',
        '# Works with any OpenAI-compatible server: Ollama, llama.cpp llama-server, vLLM or a hosted API.',
        'from openai import OpenAI',
        '',
        'client = OpenAI(base_url="http://localhost:11434/v1", api_key="not-needed-locally")',
        'MODEL = "llama3.2:1b"',
        '',
        'MESSAGES = [',
        '    {"role": "system", "content": "You are a helpful assistant.\\n- Answer first, then explain."},',
        '    {"role": "user", "content": "What is 2 + 2?"},',
        '    {"role": "assistant", "content": "It is 4."},',
        '    {"role": "user", "content": "Say \\"hi\\""},',
        '    {"role": "assistant", "content": "He said \\"\\"\\"hi\\"\\"\\""},',
        ']',
        '',
        '',
        'def ask(question: str) -> str:',
        '    reply = client.chat.completions.create(',
        '        model=MODEL,',
        '        messages=MESSAGES + [{"role": "user", "content": question}],',
        '    )',
        '    return reply.choices[0].message.content',
        '',
        '',
        'print(ask("How do I boil an egg?"))',
        '',
      ].join('\n'),
    );
    expect(toOpenAiPython({ ...artifact, model: { id: 'Odd-MLC', engine: 'webllm' } })).toContain(
      'MODEL = "Odd-MLC"  # the name your server gives this model\n',
    );
  });

  it('WebLLM snippet', () => {
    expect(toWebLlmSnippet(artifact)).toBe(
      [
        '// The alignment “Eggs and more” in the browser with WebLLM (npm install @mlc-ai/web-llm).',
        "import { CreateMLCEngine } from '@mlc-ai/web-llm';",
        '',
        'const engine = await CreateMLCEngine("Llama-3.2-1B-Instruct-q4f16_1-MLC");',
        '',
        'const MESSAGES = [',
        '  {role: "system", content: "You are a helpful assistant.\\n- Answer first, then explain."},',
        '  {role: "user", content: "What is 2 + 2?"},',
        '  {role: "assistant", content: "It is 4."},',
        '  {role: "user", content: "Say \\"hi\\""},',
        '  {role: "assistant", content: "He said \\"\\"\\"hi\\"\\"\\""},',
        '];',
        '',
        'export async function ask(question) {',
        '  const reply = await engine.chat.completions.create({',
        "    messages: [...MESSAGES, { role: 'user', content: question }],",
        '  });',
        '  return reply.choices[0].message.content;',
        '}',
        '',
      ].join('\n'),
    );
    expect(toWebLlmSnippet(endpointArtifact)).toContain(
      '// Made with qwen2.5:1.5b; choose the closest model WebLLM offers.\nconst engine = await CreateMLCEngine("Llama-3.2-1B-Instruct-q4f16_1-MLC");',
    );
  });

  it('llama.cpp system-prompt file: prompt plus the examples in the studio layout', () => {
    expect(toLlamaCppSystemPrompt(artifact)).toBe(
      [
        'You are a helpful assistant.',
        '- Answer first, then explain.',
        '',
        'Examples of the kind of answers you give:',
        '',
        '# Query:',
        'What is 2 + 2?',
        '',
        '# Answer:',
        'It is 4.',
        '',
        '# Query:',
        'Say "hi"',
        '',
        '# Answer:',
        'He said """hi"""',
        '',
      ].join('\n'),
    );
    expect(toLlamaCppSystemPrompt(endpointArtifact)).toBe(
      'You are a helpful assistant.\n- Answer first, then explain.\n',
    );
  });

  it('lists every format once with a file name', () => {
    expect(EXPORT_FORMATS.map((f) => f.id)).toEqual(['ollama', 'messages', 'openai', 'webllm', 'llamacpp']);
    for (const f of EXPORT_FORMATS) expect(f.build(artifact).length).toBeGreaterThan(20);
  });
});

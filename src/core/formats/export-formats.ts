/**
 * "Use it" exports: the alignment in the shapes other runtimes read. Pure text builders (exact output is
 * unit-tested), so the Result and share views only copy or download what these return.
 *
 * Examples: the studio retrieves the examples most similar to each question; a static file cannot, so
 * every format ships the same first few (see `fixedExamples`), as chat turns where the runtime has them
 * and inside the system prompt (the studio's own layout) for llama.cpp's system-prompt file.
 */
import { fixedExamples } from './alignment-facts';
import type { ChatMessage } from '../contracts/chat-model';
import { buildSystemPrompt, stripMarkers } from '../drpo/templates';
import type { AlignmentArtifact } from '../contracts/alignment';
import { forAnyModel, ollamaModelName, webllmModelName } from './model-names';

/** Where the OpenAI-SDK snippet points by default (Ollama's OpenAI-compatible API). */
export const DEFAULT_OPENAI_BASE_URL = 'http://localhost:11434/v1';
export const SAMPLE_QUESTION = 'How do I boil an egg?';

/** One line, for comments: names may hold newlines. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function title(a: AlignmentArtifact): string {
  return a.name ? `“${oneLine(a.name)}”` : 'made with DRPO Studio';
}

/** The system prompt followed by the example turns. */
export function toMessages(a: AlignmentArtifact): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'system', content: a.systemPrompt }];
  for (const e of fixedExamples(a)) {
    out.push({ role: 'user', content: e.query.trim() });
    // Published DRPO examples wrap answers in <START>…<END>; a chat turn must not show them.
    out.push({ role: 'assistant', content: stripMarkers(e.answer) });
  }
  return out;
}

export function toMessagesJson(a: AlignmentArtifact): string {
  return `${JSON.stringify(toMessages(a), null, 2)}\n`;
}

/**
 * Ollama's triple-quoted strings have no escape: a `"""` inside would end the value early, and a value
 * ending in `"` would run into the closing quotes. Both are rewritten so the file always parses.
 */
function ollamaString(s: string): string {
  let t = s.replaceAll('"""', "'''");
  if (t.endsWith('"')) t += '\n';
  return `"""${t}"""`;
}

export function toOllamaModelfile(a: AlignmentArtifact): string {
  const from = ollamaModelName(a.model);
  const lines = [
    `# Ollama Modelfile for the alignment ${title(a)}.`,
    '# Create and run it with:',
    '#   ollama create drpo-aligned -f Modelfile',
    '#   ollama run drpo-aligned',
  ];
  if (!from.known)
    lines.push(
      forAnyModel(a.model)
        ? "# The alignment is for any model: put your model's Ollama name after FROM."
        : `# The alignment was made with ${oneLine(a.model.id)}: put its Ollama name after FROM.`,
    );
  // One line whatever the id holds: a line break in it would add Modelfile instructions of its own.
  lines.push(`FROM ${oneLine(from.name)}`);
  for (const m of toMessages(a)) {
    lines.push(
      m.role === 'system' ? `SYSTEM ${ollamaString(m.content)}` : `MESSAGE ${m.role} ${ollamaString(m.content)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * JSON string literals are valid Python and JavaScript string literals, so the messages are embedded
 * with JSON.stringify: no quoting rules of our own.
 */
function messageLines(a: AlignmentArtifact, indent: string, key: (k: string) => string): string[] {
  return toMessages(a).map(
    (m) => `${indent}{${key('role')}: ${JSON.stringify(m.role)}, ${key('content')}: ${JSON.stringify(m.content)}},`,
  );
}

export function toOpenAiPython(a: AlignmentArtifact): string {
  const model = ollamaModelName(a.model);
  return [
    `# The alignment ${title(a)} with the OpenAI Python SDK (pip install openai).`,
    '# Works with any OpenAI-compatible server: Ollama, llama.cpp llama-server, vLLM or a hosted API.',
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url=${JSON.stringify(DEFAULT_OPENAI_BASE_URL)}, api_key="not-needed-locally")`,
    `MODEL = ${JSON.stringify(model.name)}${model.known ? '' : '  # the name your server gives this model'}`,
    '',
    'MESSAGES = [',
    ...messageLines(a, '    ', (k) => JSON.stringify(k)),
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
    `print(ask(${JSON.stringify(SAMPLE_QUESTION)}))`,
    '',
  ].join('\n');
}

export function toWebLlmSnippet(a: AlignmentArtifact): string {
  const model = webllmModelName(a.model);
  const lines = [
    `// The alignment ${title(a)} in the browser with WebLLM (npm install @mlc-ai/web-llm).`,
    "import { CreateMLCEngine } from '@mlc-ai/web-llm';",
    '',
  ];
  if (!model.known)
    lines.push(
      forAnyModel(a.model)
        ? '// The alignment is for any model; choose the one WebLLM offers that you use.'
        : `// Made with ${oneLine(a.model.id)}; choose the closest model WebLLM offers.`,
    );
  lines.push(
    `const engine = await CreateMLCEngine(${JSON.stringify(model.name)});`,
    '',
    'const MESSAGES = [',
    ...messageLines(a, '  ', (k) => k),
    '];',
    '',
    'export async function ask(question) {',
    '  const reply = await engine.chat.completions.create({',
    "    messages: [...MESSAGES, { role: 'user', content: question }],",
    '  });',
    '  return reply.choices[0].message.content;',
    '}',
    '',
  );
  return lines.join('\n');
}

/** The text for `llama-cli --system-prompt-file`: the prompt and the examples, laid out as the studio sends them. */
export function toLlamaCppSystemPrompt(a: AlignmentArtifact): string {
  return `${buildSystemPrompt(a.systemPrompt, fixedExamples(a))}\n`;
}

export const LLAMA_CPP_FILE = 'drpo-system-prompt.txt';
export const LLAMA_CPP_COMMAND = `llama-cli -m your-model.gguf --system-prompt-file ${LLAMA_CPP_FILE}`;

export type ExportFormatId = 'ollama' | 'messages' | 'openai' | 'webllm' | 'llamacpp';

export interface ExportFormat {
  id: ExportFormatId;
  label: string;
  /** One sentence on how to use the file. */
  howTo: string;
  fileName: string;
  mime: string;
  build: (a: AlignmentArtifact) => string;
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'ollama',
    label: 'Ollama Modelfile',
    howTo: 'Save as Modelfile, then run `ollama create drpo-aligned -f Modelfile`.',
    fileName: 'Modelfile',
    // Not text/plain: browsers would save an extension-less text file as "Modelfile.txt".
    mime: 'application/octet-stream',
    build: toOllamaModelfile,
  },
  {
    id: 'messages',
    label: 'JSON messages',
    howTo: 'Put these messages before each user question in any chat API.',
    fileName: 'drpo-messages.json',
    mime: 'application/json',
    build: toMessagesJson,
  },
  {
    id: 'openai',
    label: 'OpenAI SDK (Python)',
    howTo: 'Set base_url and MODEL to your server (Ollama, llama-server, vLLM or a hosted API).',
    fileName: 'drpo_chat.py',
    mime: 'text/x-python',
    build: toOpenAiPython,
  },
  {
    id: 'webllm',
    label: 'WebLLM',
    howTo: 'A module for your own page: it loads the model on WebGPU and answers with the alignment.',
    fileName: 'drpo-webllm.js',
    mime: 'text/javascript',
    build: toWebLlmSnippet,
  },
  {
    id: 'llamacpp',
    label: 'llama.cpp',
    howTo: `Save as ${LLAMA_CPP_FILE}, then run \`${LLAMA_CPP_COMMAND}\`.`,
    fileName: LLAMA_CPP_FILE,
    mime: 'text/plain',
    build: toLlamaCppSystemPrompt,
  },
];

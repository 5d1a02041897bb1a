/**
 * How an alignment (system prompt + retrieved examples) and a query become a model request.
 * Templates are data keyed by family: chat models get system + user messages; base models get one
 * markdown-style document through `complete()` and stop at the next "# Query:" or <END>.
 */
import type { ChatMessage } from '../contracts/chat-model';
import type { IclExample } from '../contracts/run-config';

export interface ChatTemplate {
  kind: 'chat';
  examplesIntro: string;
}

export interface CompletionTemplate {
  kind: 'completion';
  instructionsHeader: string;
  queryHeader: string;
  answerHeader: string;
  start: string;
  end: string;
  stop: string[];
}

export type PromptTemplate = ChatTemplate | CompletionTemplate;

export const TEMPLATES: Record<string, PromptTemplate> = {
  chat: { kind: 'chat', examplesIntro: 'Examples of the kind of answers you give:' },
  'base-markdown': {
    kind: 'completion',
    instructionsHeader: '# instructions',
    queryHeader: '# Query:',
    answerHeader: '# Answer:',
    start: '<START>',
    end: '<END>',
    stop: ['# Query:', '<END>'],
  },
};

export const DEFAULT_TEMPLATE = 'chat';

export function getTemplate(name: string | undefined): PromptTemplate {
  return TEMPLATES[name ?? DEFAULT_TEMPLATE] ?? TEMPLATES[DEFAULT_TEMPLATE]!;
}

/** The published DRPO examples wrap answers in <START>…<END>; the templates add their own markers. */
export function stripMarkers(answer: string): string {
  return answer
    .replace(/^\s*<START>/, '')
    .replace(/<END>\s*$/, '')
    .trim();
}

/** "# Query:/# Answer:" pairs, the format of the published DRPO examples. */
export function formatExamples(examples: readonly IclExample[]): string {
  return examples.map((e) => `# Query:\n${e.query.trim()}\n\n# Answer:\n${stripMarkers(e.answer)}`).join('\n\n');
}

/** The system message for chat models. */
export function buildSystemPrompt(prompt: string, examples: readonly IclExample[]): string {
  const p = prompt.trim();
  if (examples.length === 0) return p;
  const t = TEMPLATES.chat as ChatTemplate;
  return `${p}\n\n${t.examplesIntro}\n\n${formatExamples(examples)}`;
}

export function buildChatMessages(prompt: string, examples: readonly IclExample[], query: string): ChatMessage[] {
  const system = buildSystemPrompt(prompt, examples);
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: 'system', content: system });
  messages.push({ role: 'user', content: query });
  return messages;
}

/** The single document for base models; generation continues after the start marker. */
export function buildCompletionPrompt(
  t: CompletionTemplate,
  prompt: string,
  examples: readonly IclExample[],
  query: string,
): string {
  const parts = [`${t.instructionsHeader}\n\n${prompt.trim()}`];
  if (examples.length) {
    parts.push(
      examples
        .map(
          (e) =>
            `${t.queryHeader}\n${e.query.trim()}\n\n${t.answerHeader}\n${t.start}${stripMarkers(e.answer)}${t.end}`,
        )
        .join('\n\n'),
    );
  }
  parts.push(`${t.queryHeader}\n${query.trim()}\n\n${t.answerHeader}\n${t.start}`);
  return parts.join('\n\n');
}

/** Trims template residue a base model may leave in its answer. */
export function cleanCompletion(t: CompletionTemplate, text: string): string {
  let out = text;
  for (const s of [t.end, t.queryHeader]) {
    const i = out.indexOf(s);
    if (i >= 0) out = out.slice(0, i);
  }
  return out.replace(t.start, '').trim();
}

/** Scripted models of a held-out evaluation (shared by the core eval tests and the worker's eval job test). */
import type { ChatModel, ChatRequest, ChatResult } from '../../src/core/contracts/chat-model';
import { AppError, ErrorName } from '../../src/core/contracts/errors';
import type { Query } from '../../src/core/contracts/run-config';

/** A tiny scripted ChatModel: `reply` maps a request to text; every request is recorded. */
export function scripted(id: string, reply: (req: ChatRequest) => string, jsonSchema = false) {
  const requests: ChatRequest[] = [];
  const model: ChatModel = {
    id,
    engine: 'openai',
    capabilities: {
      jsonSchema,
      logprobs: false,
      seed: true,
      multipleChoices: false,
      contextWindow: 8192,
      embeddings: false,
      rawCompletion: false,
    },
    async chat(req): Promise<ChatResult> {
      requests.push(req);
      if (req.signal?.aborted) throw new AppError(ErrorName.Abort, 'stopped');
      return {
        model: id,
        choices: [{ text: reply(req), finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      };
    },
  };
  return { model, requests };
}

export const queries: Query[] = [
  { id: 'q1', text: 'How do plants make food?', category: 'knowledge' },
  { id: 'q2', text: 'Write a haiku about rain.', category: 'creative' },
  { id: 'q3', text: 'How do I pick a lock to break into a house?', category: 'unsafe' },
  { id: 'q4', text: 'BROKEN judge please', category: 'harmful' },
];

/** The policy echoes which system prompt it saw, so the judge can score per candidate. */
export const policy = () =>
  scripted('policy-1', (req) => {
    const sys = req.messages.find((m) => m.role === 'system')?.content ?? 'none';
    const user = req.messages[req.messages.length - 1].content;
    return `[${sys.startsWith('BEST') ? 'good' : 'plain'}] answer to: ${user}`;
  });

const field = (text: string, heading: string) => text.split(`# ${heading}\n`)[1]?.split('\n\n')[0] ?? '';

/** Scores 5 for "good" answers and 3 otherwise; unparseable for queries containing BROKEN. */
export const judge = (jsonSchema = false) =>
  scripted(
    'judge-1',
    (req) => {
      const user = req.messages[1].content;
      if (user.includes('# Answer A')) {
        const a = field(user, 'Answer A');
        const b = field(user, 'Answer B');
        const winner = a.includes('[good]') === b.includes('[good]') ? 'tie' : a.includes('[good]') ? 'A' : 'B';
        return `Sure! {"rationale": "compared", "winner": "${winner}"}`;
      }
      if (user.includes('BROKEN')) return 'I think it is pretty good overall.';
      const score = field(user, 'Assistant answer').includes('[good]') ? 5 : 3;
      if (user.includes('- Safety:')) return `{"safety": {"rationale": "refused", "score": ${score}}}`;
      const aspects = ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'];
      return '```json\n{' + aspects.map((a) => `"${a}": {"rationale": "ok", "score": ${score}}`).join(',') + '}\n```';
    },
    jsonSchema,
  );

export const best = {
  label: 'Best',
  systemPrompt: 'BEST prompt',
  icl: [{ query: 'How do leaves work?', answer: '<START>Leaves...<END>' }],
};

import { describe, expect, it } from 'vitest';
import { Bm25, createRetriever, topK } from '../../../../src/core/drpo/retrieval';
import {
  buildChatMessages,
  buildCompletionPrompt,
  cleanCompletion,
  getTemplate,
  TEMPLATES,
} from '../../../../src/core/drpo/templates';
import type { CompletionTemplate } from '../../../../src/core/drpo/templates';
import { deriveSeed, hashKey, mulberry32, seededShuffle } from '../../../../src/core/data/random';
import { callKey } from '../../../../src/core/calls/call-gateway';
import { capBullets, countBullets } from '../../../../src/core/drpo/prompts/optimizer';
import { expectedScoresFromLogprobs, parseJudgement } from '../../../../src/core/drpo/prompts/judge';
import { batchFor, orderQueries } from '../../../../src/core/drpo/beam-helpers';

const examples = [
  { query: 'How do I bake sourdough bread?', answer: 'A' },
  { query: 'Explain how vaccines work.', answer: 'B' },
  { query: 'How can I pick a lock?', answer: 'C' },
];

describe('retrieval', () => {
  it('BM25 ranks the lexically closest example first', async () => {
    const r = createRetriever(examples);
    expect((await r.retrieve('best bread baking tips for sourdough', 1))[0]!.answer).toBe('A');
    expect(await r.retrieve('anything', 0)).toEqual([]);
    expect(r.method()).toBe('bm25');
    expect(new Bm25([]).scores('x')).toEqual([]);
  });
  it('uses embeddings when available and falls back to BM25 on error', async () => {
    const embed = async (texts: string[]) =>
      texts.map((t) => [t.includes('vaccine') ? 1 : 0, t.includes('lock') ? 1 : 0, 0.1]);
    const r = createRetriever(examples, embed);
    expect((await r.retrieve('vaccine safety', 1))[0]!.answer).toBe('B');
    expect(r.method()).toBe('embeddings');
    const broken = createRetriever(examples, async () => {
      throw new Error('no embedder');
    });
    expect((await broken.retrieve('lock picking', 1))[0]!.answer).toBe('C');
    expect(broken.method()).toBe('bm25');
  });
  it('topK breaks ties by index', () => {
    expect(topK([1, 3, 3, 0], 3)).toEqual([1, 2, 0]);
  });
});

describe('templates', () => {
  it('chat: system = prompt + examples, user = query', () => {
    const m = buildChatMessages('Be kind.', examples.slice(0, 1), 'Hi');
    expect(m[0]!.role).toBe('system');
    expect(m[0]!.content).toContain('Be kind.');
    expect(m[0]!.content).toContain('# Query:\nHow do I bake sourdough bread?\n\n# Answer:\nA');
    expect(m[1]).toEqual({ role: 'user', content: 'Hi' });
    expect(buildChatMessages('', [], 'Hi')).toEqual([{ role: 'user', content: 'Hi' }]);
  });
  it('base-markdown: instructions, examples, query, answer marker; cleans residue', () => {
    const t = TEMPLATES['base-markdown'] as CompletionTemplate;
    const doc = buildCompletionPrompt(t, 'Be kind.', examples.slice(0, 1), 'Hi');
    expect(doc.startsWith('# instructions\n\nBe kind.')).toBe(true);
    expect(doc.endsWith('# Query:\nHi\n\n# Answer:\n<START>')).toBe(true);
    expect(doc).toContain('<START>A<END>');
    expect(cleanCompletion(t, 'Hello there<END>\n# Query: more')).toBe('Hello there');
    expect(getTemplate('unknown').kind).toBe('chat');
  });
});

describe('rng and keys', () => {
  it('is seeded and reproducible', () => {
    expect(seededShuffle([1, 2, 3, 4, 5], 42)).toEqual(seededShuffle([1, 2, 3, 4, 5], 42));
    expect(seededShuffle([1, 2, 3, 4, 5], 42).sort()).toEqual([1, 2, 3, 4, 5]);
    const r = mulberry32(1);
    const x = r();
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThan(1);
    expect(deriveSeed(42, 'a', 1)).toBe(deriveSeed(42, 'a', 1));
    expect(deriveSeed(42, 'a', 1)).not.toBe(deriveSeed(42, 'a', 2));
    expect(hashKey('abc')).toHaveLength(16);
  });
  it('call keys ignore the signal but not the sample index', () => {
    const req = { messages: [{ role: 'user' as const, content: 'x' }], temperature: 0 };
    const k = callKey('judge', 'm', req);
    expect(callKey('judge', 'm', { ...req, signal: new AbortController().signal })).toBe(k);
    expect(callKey('judge', 'm', req, { sample: 1 })).not.toBe(k);
    expect(callKey('policy', 'm', req)).not.toBe(k);
  });
  it('orders queries by seed, interleaving categories, and wraps batches', () => {
    const qs = [
      { id: 'a', text: 'a', category: 'x' },
      { id: 'b', text: 'b', category: 'x' },
      { id: 'c', text: 'c', category: 'y' },
      { id: 'd', text: 'd', category: 'y' },
    ];
    const o = orderQueries(qs, 1);
    expect(o[0]!.category).not.toBe(o[1]!.category);
    expect(batchFor(o, 3, 2).map((q) => q.id)).toEqual([o[2]!.id, o[3]!.id]);
    expect(batchFor(o.slice(0, 1), 5, 3)).toHaveLength(1);
  });
});

describe('optimizer and logprob helpers', () => {
  it('caps bullets', () => {
    const p = 'Intro.\n- a\n- b\n* c\n1. d';
    expect(countBullets(p)).toBe(4);
    expect(capBullets(p, 2)).toBe('Intro.\n- a\n- b');
  });
  it('reads expected scores from digit logprobs', () => {
    const toks = ['{"scores":[{"aspect":"A","score":', '4', '},{"aspect":"B","score": ', '2', '}]}'].map((token) => ({
      token,
      logprob: 0,
      top:
        token === '4'
          ? [
              { token: '4', logprob: Math.log(0.5) },
              { token: '5', logprob: Math.log(0.5) },
            ]
          : [],
    }));
    expect(expectedScoresFromLogprobs(toks)).toEqual([4.5, 2]);
    expect(expectedScoresFromLogprobs([])).toBeNull();
  });
  it('keeps a confident 5 a 5: the weighted mean stays in 1–5 despite rounding, and the judge reads it', () => {
    // (p·5)/p with p = exp(−0.012) is 5.000000000000001 in floating point; the strict score reader would drop it.
    const at = (top: { token: string; logprob: number }[]) =>
      ['{"scores":[{"aspect":"Clarity","score":', '5', '}]}'].map((token) => ({
        token,
        logprob: 0,
        top: token === '5' ? top : [],
      }));
    const alone = expectedScoresFromLogprobs(at([{ token: '5', logprob: -0.012 }]));
    expect(alone).toEqual([5]);
    const aspects = [{ name: 'Clarity', reason: 'r' }];
    expect(parseJudgement({ scores: [{ aspect: 'Clarity', score: 5 }] }, aspects, alone)).toMatchObject([
      { aspect: 'Clarity', score: 5 },
    ]);
    // Any mixture of digit alternatives stays within the scale.
    const rnd = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const top = ['1', '2', '3', '4', '5', ' 5', '"5']
        .filter(() => rnd() < 0.5)
        .map((token) => ({ token, logprob: -rnd() * 3 }));
      const [x] = expectedScoresFromLogprobs(at(top)) ?? [];
      expect(x).toBeGreaterThanOrEqual(1);
      expect(x).toBeLessThanOrEqual(5);
    }
  });
});

describe('context guard', () => {
  it('shrinks max_tokens to fit the context window', async () => {
    const { fitContext } = await import('../../../../src/core/calls/call-gateway');
    const req = { messages: [{ role: 'user' as const, content: 'x'.repeat(3200) }], max_tokens: 2048 };
    expect(fitContext(req, 32768)).toBe(req);
    expect(fitContext(req, 2048).max_tokens).toBe(2048 - 1003 - 16);
    expect(fitContext(req, 1000).max_tokens).toBe(64);
    expect(fitContext({ prompt: 'abc', max_tokens: 10 }, 0).max_tokens).toBe(10);
  });
});

/**
 * Picks the ICL examples most similar to a query: cosine similarity of embeddings when the model
 * can embed, otherwise BM25 over the example queries (no dependencies, deterministic).
 */
import type { IclExample } from '../contracts/run-config';

const STOP = new Set(
  'a an the and or of to in on for with is are was be it this that i you me my your how what why can do does as at by from'.split(
    ' ',
  ),
);

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
}

export class Bm25 {
  private readonly docs: Map<string, number>[];
  private readonly lengths: number[];
  private readonly df = new Map<string, number>();
  private readonly avgLen: number;
  constructor(
    texts: readonly string[],
    private readonly k1 = 1.5,
    private readonly b = 0.75,
  ) {
    this.docs = texts.map((t) => {
      const tf = new Map<string, number>();
      for (const w of tokenize(t)) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      return tf;
    });
    this.lengths = texts.map((t) => tokenize(t).length);
    this.avgLen = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, texts.length) || 1;
  }

  scores(query: string): number[] {
    const n = this.docs.length;
    const terms = [...new Set(tokenize(query))];
    return this.docs.map((tf, i) => {
      let s = 0;
      for (const w of terms) {
        const f = tf.get(w);
        if (!f) continue;
        const df = this.df.get(w) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        s += (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * this.lengths[i]!) / this.avgLen));
      }
      return s;
    });
  }
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Indices of the k highest scores; ties keep the earlier example (deterministic). */
export function topK(scores: readonly number[], k: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((x, y) => y[0] - x[0] || x[1] - y[1])
    .slice(0, Math.max(0, k))
    .map(([, i]) => i);
}

export type Embedder = (texts: string[], signal?: AbortSignal) => Promise<number[][]>;

export interface Retriever {
  retrieve(query: string, k: number): Promise<IclExample[]>;
  /** 'embeddings' or 'bm25', for logs and tests. */
  readonly method: () => 'embeddings' | 'bm25';
}

export function createRetriever(examples: readonly IclExample[], embed?: Embedder, signal?: AbortSignal): Retriever {
  const bm25 = new Bm25(examples.map((e) => e.query));
  let vectors: Promise<number[][] | null> | null = null;
  let method: 'embeddings' | 'bm25' = embed ? 'embeddings' : 'bm25';
  const queryCache = new Map<string, IclExample[]>();
  async function embedded(): Promise<number[][] | null> {
    if (!embed) return null;
    vectors ??= embed(
      examples.map((e) => e.query),
      signal,
    ).catch(() => null);
    return vectors;
  }
  return {
    method: () => method,
    async retrieve(query: string, k: number): Promise<IclExample[]> {
      if (k <= 0 || examples.length === 0) return [];
      const cacheKey = `${k}\u0000${query}`;
      const hit = queryCache.get(cacheKey);
      if (hit) return hit;
      let scores: number[] | null = null;
      const vecs = await embedded();
      if (vecs && vecs.length === examples.length) {
        try {
          const [q] = await embed!([query], signal);
          if (q) scores = vecs.map((v) => cosine(q, v));
        } catch {
          scores = null;
        }
      }
      if (!scores) {
        method = 'bm25';
        scores = bm25.scores(query);
      }
      const out = topK(scores, k).map((i) => examples[i]!);
      queryCache.set(cacheKey, out);
      return out;
    },
  };
}

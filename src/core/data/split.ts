import type { Query } from '../contracts/run-config';
import { mulberry32, seededShuffle } from './random';

export interface QuerySplit {
  train: Query[];
  validation: Query[];
}

/**
 * Holds out `validationSize` queries (seeded, so a run can be reproduced) and keeps at least one
 * query for training. Both halves keep the original relative order.
 */
export function splitQueries(queries: readonly Query[], validationSize: number, seed: number): QuerySplit {
  const wanted = Number.isFinite(validationSize) ? Math.max(0, Math.floor(validationSize)) : 0;
  const size = Math.min(wanted, Math.max(0, queries.length - 1));
  if (size === 0) return { train: queries.slice(), validation: [] };
  // Shuffle indices, not queries, so the halves can be re-sorted into file order.
  const picked = new Set(
    seededShuffle(
      queries.map((_, i) => i),
      seed,
    ).slice(0, size),
  );
  const train: Query[] = [];
  const validation: Query[] = [];
  queries.forEach((q, i) => (picked.has(i) ? validation : train).push(q));
  return { train, validation };
}

/**
 * Round-robin across categories (each shuffled with the seed) so the first levels of a search
 * already see a mix: one query per level makes an all-"coding" start a real risk otherwise.
 */
export function interleaveByCategory(queries: readonly Query[], seed: number): Query[] {
  const groups = new Map<string, Query[]>();
  for (const q of queries) {
    const key = q.category ?? '';
    const group = groups.get(key);
    if (group) group.push(q);
    else groups.set(key, [q]);
  }
  const rand = mulberry32(seed ^ 0x9e3779b9);
  // Group order is shuffled too, otherwise the first category in the file always leads.
  const order = seededShuffle([...groups.keys()], Math.floor(rand() * 2 ** 32));
  const queues = order.map((key, i) => seededShuffle(groups.get(key) ?? [], seed + i * 7919));
  const out: Query[] = [];
  let left = queries.length;
  while (left > 0) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next) {
        out.push(next);
        left--;
      }
    }
  }
  return out;
}

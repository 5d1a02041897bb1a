/** Pure helpers of the beam search: query batches, ranking, path rewards, node ids. */
import { seededShuffle } from '../data/random';
import type { BestSoFar } from '../contracts/run-events';
import type { Query } from '../contracts/run-config';
import type { SearchNode } from '../contracts/search-node';

/**
 * Seeded order of training queries, interleaved by category so consecutive levels see varied
 * kinds of queries (the paper interleaves sources, then shuffles).
 */
export function orderQueries(queries: readonly Query[], seed: number): Query[] {
  const shuffled = seededShuffle(queries, seed);
  const groups = new Map<string, Query[]>();
  for (const q of shuffled) {
    const k = q.category ?? '';
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(q);
  }
  const lists = [...groups.values()];
  const out: Query[] = [];
  for (let i = 0; out.length < shuffled.length; i++) for (const g of lists) if (i < g.length) out.push(g[i]!);
  return out;
}

/** The queries of a level; wraps around when the training set is shorter than the search. */
export function batchFor(ordered: readonly Query[], level: number, perLevel: number): Query[] {
  const n = ordered.length;
  const size = Math.min(perLevel, n);
  const out: Query[] = [];
  for (let i = 0; i < size; i++) out.push(ordered[(level * perLevel + i) % n]!);
  return out;
}

export function nodeId(depth: number, index: number): string {
  return `d${depth}-n${index}`;
}

/** Sort key: nodes without a reward go last; then path reward, own reward, creation order. */
export function compareNodes(a: SearchNode, b: SearchNode, order: Map<string, number>): number {
  const an = a.reward === null ? 1 : 0;
  const bn = b.reward === null ? 1 : 0;
  if (an !== bn) return an - bn;
  return (
    b.pathReward - a.pathReward || (b.reward ?? 0) - (a.reward ?? 0) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)
  );
}

export function rankNodes(nodes: readonly SearchNode[]): SearchNode[] {
  const order = new Map(nodes.map((n, i) => [n.id, i]));
  return nodes.slice().sort((a, b) => compareNodes(a, b, order));
}

/**
 * The beam of a level. 'path' ranks by the mean reward along each path (the paper); 'level' by the
 * reward on this level's queries, which every candidate of the level shares (a paired comparison).
 */
export function selectBeam(
  levelNodes: readonly SearchNode[],
  width: number,
  ranking: 'path' | 'level' = 'path',
): SearchNode[] {
  if (ranking === 'path') return rankNodes(levelNodes).slice(0, width);
  const order = new Map(levelNodes.map((n, i) => [n.id, i]));
  return levelNodes
    .slice()
    .sort(
      (a, b) =>
        (a.reward === null ? 1 : 0) - (b.reward === null ? 1 : 0) ||
        (b.reward ?? 0) - (a.reward ?? 0) ||
        compareNodes(a, b, order),
    )
    .slice(0, width);
}

export function toBest(n: SearchNode): BestSoFar {
  return { nodeId: n.id, prompt: n.prompt, reward: n.pathReward, depth: n.depth };
}

/** Ancestors-to-node chain using a lookup by id. */
export function pathTo(node: SearchNode, byId: Map<string, SearchNode>): SearchNode[] {
  const path: SearchNode[] = [];
  for (let n: SearchNode | undefined = node; n; n = n.parentId ? byId.get(n.parentId) : undefined) path.push(n);
  return path.reverse();
}

/** Mean of the parsed rewards along the path (a node without a parsed reward adds nothing). */
export function pathMean(path: readonly SearchNode[]): number {
  const rs = path.map((n) => n.reward).filter((r): r is number => r !== null);
  return rs.length ? rs.reduce((a, b) => a + b, 0) / rs.length : 0;
}

/** Carry forward when the prompt already does very well (or when there is no feedback to act on). */
export function shouldCarryForward(node: SearchNode, threshold: number): boolean {
  if (node.reward === null) return true;
  if (node.reward > threshold) return true;
  const scores = node.evaluations.flatMap((e) => e.scores);
  return scores.length > 0 && scores.every((s) => s.score >= 5);
}

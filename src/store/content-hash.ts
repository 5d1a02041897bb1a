/**
 * Content hashes that keep identical alignments and datasets from being stored twice. A 53-bit hash
 * finds the candidate; the canonical text is compared before two records count as the same, so a
 * hash collision can never swallow a different alignment.
 */
import { hashText } from '../core/data/random';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import type { Query } from '../core/contracts/run-config';

/** JSON with object keys sorted at every level: equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export function alignmentContent(artifact: AlignmentArtifact): string {
  return canonicalJson(artifact);
}

/** Ids are derived from the text, so the texts (and categories) are the content. */
export function datasetContent(kind: string, queries: readonly Query[]): string {
  return canonicalJson({ kind, queries: queries.map((q) => [q.text, q.category ?? null]) });
}

export function contentHash(content: string): string {
  return hashText(content);
}

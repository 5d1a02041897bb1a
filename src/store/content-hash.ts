/**
 * Content hashes that keep identical alignments and datasets from being stored twice. A 53-bit hash
 * finds the candidate; the canonical text is compared before two records count as the same, so a
 * hash collision can never swallow a different alignment.
 */
import { hashText } from '../core/data/random';
import { isConverted } from '../core/contracts/alignment';
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

/**
 * What makes two alignments the same. A file converted from the official DRPO format is stamped with the
 * time it was converted: left out, so the same file imported twice is one alignment, as one of ours is.
 */
export function alignmentContent(artifact: AlignmentArtifact): string {
  return canonicalJson(isConverted(artifact) ? { ...artifact, createdAt: undefined } : artifact);
}

/** Ids are derived from the text, so the texts (and categories) are the content. */
export function datasetContent(kind: string, queries: readonly Query[]): string {
  return canonicalJson({ kind, queries: queries.map((q) => [q.text, q.category ?? null]) });
}

export function contentHash(content: string): string {
  return hashText(content);
}

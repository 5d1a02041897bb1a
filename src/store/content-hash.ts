/**
 * Content hashes that keep identical alignments and datasets from being stored twice. A 53-bit hash
 * finds the candidate; the canonical text is compared before two records count as the same, so a
 * hash collision can never swallow a different alignment. An alignment and its share link count as one
 * too (linkRelation).
 */
import { hashText } from '../core/data/random';
import { isConverted } from '../core/contracts/alignment';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import type { Query } from '../core/contracts/run-config';
import { LINEAGE_IN_LINK, linkArtifact } from '../core/formats/link-codec';
import { inferenceExamples, startingPrompt } from '../core/words/verdict-text';

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
  // A published prompt file converted before the starting prompt was recorded starts from its path's first step,
  // the same prompt: one alignment, whether converted then or now.
  return canonicalJson(
    isConverted(artifact) ? { ...artifact, createdAt: undefined, initialPrompt: startingPrompt(artifact) } : artifact,
  );
}

/** The alignment as its share link opens; itself when it is not valid (nothing to compare then). */
const asLink = (a: AlignmentArtifact): AlignmentArtifact => linkArtifact(a) ?? a;

/**
 * Nothing a link leaves out: no settings but how its policy answered, no more of its path than a link keeps, no
 * candidate's prompt.
 */
const isLinkOnly = (a: AlignmentArtifact): boolean => canonicalJson(a) === canonicalJson(asLink(a));

/**
 * How an alignment about to be stored stands to a stored one whose content differs: `null` (another alignment),
 * `'same'` (the new one is what the stored one's share link opens as) or `'fuller'` (the stored one came from
 * the new one's link: the new one adds what the link left out).
 *
 * A link leaves out the run's settings (all but how its policy answered: its answer length and temperature), all
 * but the last steps of its path and a closest candidate's prompt; it keeps what makes the alignment what it is:
 * the prompt, the examples, the scores and verdict, the models, the name, when it was made and what it started from
 * (a link that cuts the path writes the starting prompt out: link-codec.ts; one made before it did is still its file's). So a link saved on
 * one page and the file imported on another are one alignment, as long as both use as many examples per question
 * (a link of an older file, which says how many only in its settings, writes the number out: link-codec.ts); a
 * link made before links carried the answer length and temperature is still its file's. A link made without the examples is another alignment: it is
 * the prompt alone, and carries no validation score.
 */
export function linkRelation(stored: AlignmentArtifact, incoming: AlignmentArtifact): 'same' | 'fuller' | null {
  // Cheap tests first: this runs over every stored alignment on a save.
  if (stored.systemPrompt !== incoming.systemPrompt || stored.name !== incoming.name) return null;
  if (inferenceExamples(stored) !== inferenceExamples(incoming)) return null;
  const storedThin = isLinkOnly(stored);
  const incomingThin = isLinkOnly(incoming);
  if (!storedThin && !incomingThin) return null;
  // A link leaves out the settings that mark a converted file, and so keeps its time of conversion: not compared.
  const converted = isConverted(stored) || isConverted(incoming);
  const storedLink = asLink(stored);
  const incomingLink = asLink(incoming);
  // A link made before links said how its policy answered opens with no settings: still the same alignment.
  const bare = (l: AlignmentArtifact) => Object.keys(l.settings).length === 0;
  const olderLink = bare(storedLink) || bare(incomingLink);
  // A link made before links kept the starting prompt of a longer path opens with the last steps only and no
  // starting prompt: still the same alignment (its starting prompt was read from the first step it kept).
  const noStart = (l: AlignmentArtifact) => l.initialPrompt === undefined && l.lineage.length === LINEAGE_IN_LINK;
  const olderStart =
    (noStart(storedLink) && incomingLink.initialPrompt !== undefined) ||
    (noStart(incomingLink) && storedLink.initialPrompt !== undefined);
  const linkText = (l: AlignmentArtifact) =>
    canonicalJson({
      ...l,
      ...(converted ? { createdAt: undefined } : {}),
      ...(olderLink ? { settings: undefined } : {}),
      ...(olderStart ? { initialPrompt: undefined } : {}),
    });
  if (linkText(storedLink) !== linkText(incomingLink)) return null;
  if (storedThin && !incomingThin) return 'fuller';
  // Both are links: one that says how its policy answered, or what it started from, adds that to one stored
  // from an older link.
  const adds = (bare(storedLink) && !bare(incomingLink)) || (olderStart && storedLink.initialPrompt === undefined);
  return storedThin && adds ? 'fuller' : 'same';
}

/** Ids are derived from the text, so the texts (and categories) are the content. */
export function datasetContent(kind: string, queries: readonly Query[]): string {
  return canonicalJson({ kind, queries: queries.map((q) => [q.text, q.category ?? null]) });
}

export function contentHash(content: string): string {
  return hashText(content);
}

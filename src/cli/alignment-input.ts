/**
 * What the commands that read an alignment (`drpo eval --alignment`, `drpo export`, `drpo import-drpo`) take
 * besides a file: a share link as the page copies it (`https://…/#a=…`, or its fragment `#a=…`). It is decoded
 * by the page's own codec (core/formats/link-codec.ts), so a link opens here as it opens on the page, and a
 * damaged or cut one is refused in the page's words.
 */
import { AppError, ErrorName } from '../core/contracts/errors';
import type { AlignmentArtifact } from '../core/contracts/alignment';
import { decodeAlignmentLink } from '../core/formats/link-codec';

/** A page address, or a fragment as the page's address bar holds it: no file path a user types starts so. */
export function isShareLink(arg: string): boolean {
  const t = arg.trim();
  return /^https?:\/\//i.test(t) || t.startsWith('#');
}

/** Payload characters a shortened link keeps: enough to tell two links apart, not their 64 KB. */
const SHOWN_PAYLOAD = 16;

/** An address with no fragment is shown whole up to this: any real page address, never a pasted page of text. */
const SHOWN_ADDRESS = 120;

/** A link as messages name it: its address and the start of its fragment, or, without one, the address. */
export function shownLink(arg: string): string {
  const t = arg.trim();
  const hash = t.indexOf('#');
  // No fragment: nothing to shorten but the address itself, which is what the user must check (not cut in its host).
  const end = hash < 0 ? SHOWN_ADDRESS : hash + '#a='.length + SHOWN_PAYLOAD;
  return t.length <= end + 1 ? t : `${t.slice(0, end)}…`;
}

/** How a message names what was given: a file by its path, a link shortened. */
export function inputLabel(arg: string): string {
  return isShareLink(arg) ? `the share link ${shownLink(arg)}` : arg;
}

/** The alignment a link opens as, or the page's refusal with the (shortened) link under it. */
export async function readShareLink(arg: string): Promise<AlignmentArtifact> {
  const t = arg.trim();
  // The page's address alone: the fragment, where the alignment travels, was left behind (the codec would read
  // the address itself as a damaged payload).
  const result = t.includes('#')
    ? await decodeAlignmentLink(t)
    : { ok: false as const, error: 'This link does not contain an alignment.' };
  if (result.ok) return result.artifact;
  throw new AppError(ErrorName.InvalidInput, result.error, { detail: `The link given: ${shownLink(t)}` });
}

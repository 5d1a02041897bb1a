/**
 * Share links: the alignment travels in the URL fragment (never sent to a server) as
 * base64url(deflate-raw(JSON)). Decoding is bounded on both sides because a link is untrusted
 * input: a tiny fragment can inflate into gigabytes (decompression bomb).
 * Uses only platform globals (CompressionStream, TextEncoder, btoa/atob): Node 20 and browsers.
 */
import { concatBytes } from './bytes';
import { problemsSentence } from '../words/list-words';
import { stripSecrets, validateArtifact, ARTIFACT_FORMAT, ARTIFACT_VERSION } from './alignment-file';
import type { AlignmentArtifact } from '../contracts/alignment';
import { inferenceExamples, startingPrompt } from '../words/verdict-text';
import { recordedAnswerTemperature, recordedAnswerTokens } from './alignment-facts';

export const LINK_PARAM = 'a';
export const MAX_ENCODED_CHARS = 64 * 1024;
export const MAX_DECODED_BYTES = 512 * 1024;
export const LINK_SIZE = { ok: 8 * 1024, long: 32 * 1024 } as const;
const SHARE_VERSION = 1;
/** The last steps of its path a link keeps (content-hash.ts tells a link made before it kept its starting prompt by it). */
export const LINEAGE_IN_LINK = 5;

export type LinkDecodeResult = { ok: true; artifact: AlignmentArtifact } | { ok: false; error: string };
/**
 * `too-long`: opens, but too long to share reliably; `refused`: would not open, being longer than
 * `MAX_ENCODED_CHARS` or carrying more than `MAX_DECODED_BYTES` once unpacked.
 */
export type LinkSizeLevel = 'ok' | 'long' | 'too-long' | 'refused';

/** A link keeps how close a "no-improvement" run's best candidate came, not the candidate (the file has it). */
function linkScores(scores: AlignmentArtifact['scores']): AlignmentArtifact['scores'] {
  const c = scores.bestCandidate;
  if (!c) return scores;
  return { ...scores, bestCandidate: { validation: c.validation, standardError: c.standardError } };
}

/**
 * How its policy answered (`settings.maxTokens.policy`, `settings.policyTemperature`), as the settings a link opens
 * with: its prompt was tuned and its verdict measured on answers of that length and temperature, so the Playground
 * and Evaluate answer as they do for its file. Only valid values; nothing else of the settings.
 */
function answerSettings(tokens: unknown, temperature: unknown): Record<string, unknown> {
  const policy = recordedAnswerTokens({ settings: { maxTokens: { policy: tokens } } });
  const t = recordedAnswerTemperature({ settings: { policyTemperature: temperature } });
  return {
    ...(policy !== undefined ? { maxTokens: { policy } } : {}),
    ...(t !== undefined ? { policyTemperature: t } : {}),
  };
}

/** What a link carries: of the settings only how its policy answered; no run, no endpoint, never a key. */
function shareObject(artifact: AlignmentArtifact, dropIcl: boolean): Record<string, unknown> {
  const a = stripSecrets(artifact);
  // Its validation (and so its verdict) was measured with the examples this link leaves out: it would claim for
  // the prompt alone what the prompt and its examples scored. Only the training score goes with it.
  const measuredWithout = dropIcl && inferenceExamples(artifact) > 0;
  const out: Record<string, unknown> = {
    v: SHARE_VERSION,
    systemPrompt: a.systemPrompt,
    icl: dropIcl ? [] : a.icl,
    model: a.model,
    judge: a.judge,
    preset: a.preset,
    scores: measuredWithout ? { train: a.scores.train } : linkScores(a.scores),
    lineage: a.lineage.slice(-LINEAGE_IN_LINK),
    createdAt: a.createdAt,
  };
  if (a.name !== undefined) out.name = a.name;
  // A file that does not record its starting prompt starts from its path's first step (startingPrompt); a link
  // that cuts the path would start from another step, so it writes the file's out. Not otherwise: a link that
  // keeps the whole path stays as links were before (stored links compare, content-hash.ts).
  const start = a.initialPrompt ?? (a.lineage.length > LINEAGE_IN_LINK ? startingPrompt(a) : undefined);
  if (start !== undefined) out.initialPrompt = start;
  if (a.outcome !== undefined && !measuredWithout) out.outcome = a.outcome;
  // Optional (links made before them open with the defaults): written only when the file records valid ones.
  const tokens = recordedAnswerTokens(a);
  const temperature = recordedAnswerTemperature(a);
  if (tokens !== undefined) out.answerTokens = tokens;
  if (temperature !== undefined) out.answerTemperature = temperature;
  // A link carries no other settings: an older file that says how many examples it uses only there would open with
  // the default. The link says it outright then; otherwise it is written as the file has it (stored links compare).
  if (!dropIcl) {
    const k = inferenceExamples(artifact);
    const opensWith = inferenceExamples({ icl: a.icl, settings: {} });
    if (a.examplesPerQuery !== undefined) out.examplesPerQuery = a.examplesPerQuery;
    else if (k !== opensWith) out.examplesPerQuery = k;
  }
  return out;
}

/**
 * A share object read back as an alignment (what a link opens as), validated like a file: its settings are how its
 * policy answered, when the link says (an invalid value is left out, as a file's is not used: alignment-facts.ts).
 */
function fromShareObject(share: Record<string, unknown>) {
  const settings = answerSettings(share.answerTokens, share.answerTemperature);
  return validateArtifact({ ...share, format: ARTIFACT_FORMAT, version: ARTIFACT_VERSION, settings });
}

/**
 * The alignment as its share link carries it, exactly as the link opens: the store takes an alignment and its
 * link for one (content-hash.ts). Null only for an artifact that is not valid to begin with.
 */
export function linkArtifact(artifact: AlignmentArtifact, opts: { dropIcl?: boolean } = {}): AlignmentArtifact | null {
  const read = fromShareObject(shareObject(artifact, opts.dropIcl ?? false));
  return read.ok ? read.artifact : null;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

async function pump(
  stream: CompressionStream | DecompressionStream,
  input: Uint8Array,
  limit: number,
): Promise<Uint8Array | 'too-big'> {
  const writer = stream.writable.getWriter();
  // Not awaited: reading must run concurrently or back-pressure deadlocks on large input.
  // Their rejections (corrupt data, our own cancel) surface through the reader; swallow them here.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too-big';
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/**
 * `bytes`: the fragment's length; `unpacked`: what it inflates to, which decodeAlignmentLink bounds too. Text
 * that packs well but takes 3 or 4 bytes a character (Chinese, emoji) can make a short link that unpacks past it.
 */
export async function encodeAlignmentLink(
  artifact: AlignmentArtifact,
  opts: { dropIcl?: boolean } = {},
): Promise<{ fragment: string; bytes: number; unpacked: number }> {
  const json = new TextEncoder().encode(JSON.stringify(shareObject(artifact, opts.dropIcl ?? false)));
  const compressed = await pump(new CompressionStream('deflate-raw'), json, Infinity);
  const fragment = `${LINK_PARAM}=${toBase64Url(compressed as Uint8Array)}`;
  return { fragment, bytes: fragment.length, unpacked: json.byteLength };
}

/**
 * What a payload picks up on its way that base64url never holds: spaces and line breaks (a mail app wraps a
 * long link), escaped or not, anywhere; and punctuation after it (a link pasted at the end of a sentence,
 * in brackets or quotes). Anything else out of place still makes the link damaged.
 * A payload never holds `%`, so an escape escaped again (`%2522`, `%25250A`) is first made a single one.
 */
const ESCAPED_AGAIN = /%(?:25)+/g;
const PICKED_UP = /\s+|%(?:20|0A|0D|09)/gi;
/**
 * What the app reads at all, before any cleaning: room for a payload of `MAX_ENCODED_CHARS` wrapped and escaped
 * twice, and the page address before it. Longer input is refused unread (a page must not freeze on a link).
 */
export const MAX_RAW_LINK_CHARS = 4 * MAX_ENCODED_CHARS;

const BASE64URL_CHAR = /[A-Za-z0-9_-]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Where the payload ends once the punctuation after it is dropped: walking back over characters base64url
 * never holds and escapes of them (`%22`, `%29`, `%E2%80%9D`). Linear: a regex for this backtracked
 * quadratically on a long run of dots or `%` (60 000 of them froze the page for 20 s).
 */
function payloadEnd(s: string): number {
  let end = s.length;
  while (end > 0) {
    const escape = end >= 3 && s[end - 3] === '%' ? s.slice(end - 2, end) : '';
    if (HEX.test(escape) && !BASE64URL_CHAR.test(String.fromCharCode(parseInt(escape, 16)))) end -= 3;
    else if (!BASE64URL_CHAR.test(s[end - 1]!)) end -= 1;
    else break;
  }
  return end;
}

/**
 * Accepts a full URL, "#a=...", "a=..." (also among other fragment parts like "#/share?a=..."), or the bare payload.
 * Exported so the CLI can tell two forms of one link apart from two links (what it carries, not how it is written).
 */
export function extractPayload(input: string): string {
  const s = input.trim();
  const hash = s.indexOf('#');
  const frag = hash >= 0 ? s.slice(hash + 1) : s;
  for (const part of frag.split(/[&?/]/)) {
    if (part.startsWith(`${LINK_PARAM}=`)) return cleanPayload(part.slice(LINK_PARAM.length + 1));
  }
  return cleanPayload(frag);
}

function cleanPayload(payload: string): string {
  const s = payload.replace(ESCAPED_AGAIN, '%').replace(PICKED_UP, '');
  return s.slice(0, payloadEnd(s));
}

export async function decodeAlignmentLink(fragmentOrUrl: string): Promise<LinkDecodeResult> {
  const broken = 'This share link is damaged or incomplete. Ask for the link again, or for the alignment file.';
  const tooLong: LinkDecodeResult = {
    ok: false,
    error: `This share link is longer than ${MAX_ENCODED_CHARS / 1024} KB, so it was not opened. Share the alignment file instead.`,
  };
  if (typeof fragmentOrUrl !== 'string') return { ok: false, error: broken };
  if (fragmentOrUrl.length > MAX_RAW_LINK_CHARS) return tooLong;
  const payload = extractPayload(fragmentOrUrl);
  if (payload === '') return { ok: false, error: 'This link does not contain an alignment.' };
  if (payload.length > MAX_ENCODED_CHARS) return tooLong;
  const compressed = fromBase64Url(payload);
  if (!compressed) return { ok: false, error: broken };
  let raw: Uint8Array | 'too-big';
  try {
    raw = await pump(new DecompressionStream('deflate-raw'), compressed, MAX_DECODED_BYTES);
  } catch {
    return { ok: false, error: broken };
  }
  if (raw === 'too-big') {
    return {
      ok: false,
      error: `This share link carries more than ${MAX_DECODED_BYTES / 1024} KB once unpacked, the most a link may carry, so it was not opened. Share the alignment file instead.`,
    };
  }
  let share: unknown;
  try {
    share = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return { ok: false, error: broken };
  }
  if (typeof share !== 'object' || share === null || Array.isArray(share)) return { ok: false, error: broken };
  const s = share as Record<string, unknown>;
  if (typeof s.v === 'number' && s.v > SHARE_VERSION) {
    return { ok: false, error: 'This link was made by a newer DRPO Studio. Update the app to open it.' };
  }
  if (s.v !== SHARE_VERSION) return { ok: false, error: broken };
  const result = fromShareObject(s);
  if (!result.ok)
    return { ok: false, error: `This link holds an invalid alignment: ${problemsSentence(result.errors)}` };
  return result;
}

/**
 * How a link of `bytes` characters (the fragment `a=…`) fares, in words. `canDropExamples`: the alignment
 * has examples left to drop, so that is offered before sharing the file. `unpacked`: the bytes it inflates to
 * (encodeAlignmentLink), refused past what decodeAlignmentLink opens however short the link is; required, so no
 * caller can skip that check. The two bounds are worded as the decoder words them.
 */
export function linkSizeAdvice(
  bytes: number,
  canDropExamples: boolean,
  unpacked: number,
): { level: LinkSizeLevel; message: string } {
  const kb = Math.ceil(bytes / 1024);
  const instead = canDropExamples ? 'Drop the examples or share the file.' : 'Share the file instead.';
  if (unpacked > MAX_DECODED_BYTES) {
    return {
      level: 'refused',
      // The figure is the share data as it unpacks (JSON: field names and escapes too), not the text alone.
      message: `This alignment would carry ${Math.ceil(unpacked / 1024)} KB once unpacked in a link, more than the ${MAX_DECODED_BYTES / 1024} KB a link may carry, so its link would not open. ${instead}`,
    };
  }
  if (bytes < LINK_SIZE.ok) return { level: 'ok', message: `The link is ${kb} KB: fine to share anywhere.` };
  if (bytes <= LINK_SIZE.long) {
    return { level: 'long', message: `The link is ${kb} KB: it works in browsers, but some chat apps may cut it.` };
  }
  // The same measure decodeAlignmentLink refuses by: the payload after `a=`.
  if (bytes - LINK_PARAM.length - 1 > MAX_ENCODED_CHARS) {
    return {
      level: 'refused',
      message: `The link would be ${kb} KB, longer than the ${MAX_ENCODED_CHARS / 1024} KB a link may be, so it would not open. ${instead}`,
    };
  }
  // Nothing to drop: such a link is still copied (it opens), so the words must not say it was not.
  if (!canDropExamples) {
    return {
      level: 'too-long',
      message: `The link is ${kb} KB: some apps may cut a link this long; the file is safer.`,
    };
  }
  return { level: 'too-long', message: `The link is ${kb} KB: too long to share reliably. ${instead}` };
}

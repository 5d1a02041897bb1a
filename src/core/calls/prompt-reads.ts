/**
 * Prompts a server cut without saying so. Ollama cuts a prompt longer than its context window (often 4096
 * tokens) to the window's length and answers what is left; the optimizer's prompts run to a few thousand
 * tokens. The sign of it is a ceiling: prompts of different lengths, all longer than it, read to the same
 * number of tokens, and no call of that role reading more. A server that counts only the prompt tokens it
 * had not cached (one Ollama release did) also reports short reads, but a call whose prefix was not cached
 * yet reads more than they do, so it never looks like a ceiling.
 * The same rule watches the Playground's conversations (each one its own record): a run and a chat on one
 * server are cut alike.
 */
import type { ChatRequest, CompletionRequest } from '../contracts/chat-model';
import { ROLES, type Role } from '../contracts/run-config';
import type { PromptReads, RunStats } from '../contracts/run-events';

/** Prompts shorter than this (estimated tokens) are not watched: no window in use is that small. */
const MIN_WATCHED_TOKENS = 1000;
/** A read below this share of the estimate is a candidate cut (the estimate is ~4 characters a token, prose). */
const CANDIDATE_SHARE = 0.8;
/** Reads of a window's cuts agree to within this share… */
const SAME_READ = 0.02;
/** …for prompts whose lengths differ by at least this share. */
const DIFFERENT_SENT = 0.1;

/** Where reads are recorded: a run's stats, or a record of its own (a Playground conversation). */
export type PromptReadRecord = Pick<RunStats, 'promptReads'>;

/** Records what the server read of one call's prompt (`read`: its reported prompt tokens). */
export function notePromptRead(
  stats: PromptReadRecord,
  role: Role,
  req: ChatRequest | CompletionRequest,
  read: number,
): void {
  // No count (a cached reply on some servers), or n requests summed into one usage: nothing to compare.
  if (read <= 0 || (req.n ?? 1) > 1) return;
  const chars = 'messages' in req ? req.messages.reduce((a, m) => a + m.content.length, 0) : req.prompt.length;
  const sent = Math.ceil(chars / 4);
  const reads = ((stats.promptReads ??= {})[role] ??= { most: 0 });
  reads.most = Math.max(reads.most, read);
  if (sent < MIN_WATCHED_TOKENS || read >= sent * CANDIDATE_SHARE) return;
  const c = (reads.cut ??= { calls: 0, minRead: read, maxRead: read, minSent: sent, maxSent: sent });
  c.calls++;
  c.minRead = Math.min(c.minRead, read);
  c.maxRead = Math.max(c.maxRead, read);
  c.minSent = Math.min(c.minSent, sent);
  c.maxSent = Math.max(c.maxSent, sent);
}

export interface CutPrompts {
  calls: number;
  /** The roles whose prompts were cut. */
  roles: Role[];
  /** The window the cut prompts were read to (tokens). */
  window: number;
  /** The longest prompt that was cut (estimated tokens). */
  longest: number;
}

/** The prompts of the run a server cut to its context window, summed over roles; null when none shows it. */
export function cutPrompts(stats: PromptReadRecord | null | undefined): CutPrompts | null {
  return summed(
    recordsOf(stats?.promptReads).flatMap(([role, r]) => (r.cut && isCeiling(r, r.cut) ? [{ role, ...r.cut }] : [])),
  );
}

/** The roles' cut records, summed into one claim; null for none. */
function summed(cuts: ({ role: Role } & NonNullable<PromptReads['cut']>)[]): CutPrompts | null {
  if (cuts.length === 0) return null;
  return {
    calls: cuts.reduce((n, c) => n + c.calls, 0),
    roles: cuts.map((c) => c.role),
    window: Math.min(...cuts.map((c) => c.maxRead)),
    longest: Math.max(...cuts.map((c) => c.maxSent)),
  };
}

/**
 * A record's cut prompts judged with what calls beside it showed of the same server and model (`known`: the reads of
 * all of them, this record's among them). The rule is the same, taken over all those calls, as a run takes it over
 * all calls of a role: once two cut reads of different prompts showed a ceiling, this record's prompts read to that
 * ceiling were cut, one alone too. The Playground's conversations share what they show: a long question cut in
 * both panes, or a conversation after one the server cut (a Clear, another prompt), is named at its first cut
 * answer instead of at the next one.
 */
export function cutPromptsKnown(
  stats: PromptReadRecord | null | undefined,
  known: PromptReadRecord | null | undefined,
): CutPrompts | null {
  const ceilings = new Map(
    recordsOf(known?.promptReads).flatMap(([role, r]) => (r.cut && isCeiling(r, r.cut) ? [[role, r.cut.maxRead]] : [])),
  );
  return summed(
    recordsOf(stats?.promptReads).flatMap(([role, r]) => {
      if (!r.cut) return [];
      if (isCeiling(r, r.cut)) return [{ role, ...r.cut }];
      // Read to the ceiling the calls beside it showed, and no call of it reading more.
      const w = ceilings.get(role);
      const at = w !== undefined && r.cut.minRead * (1 + SAME_READ) >= w && r.most <= w * (1 + SAME_READ);
      return at ? [{ role, ...r.cut }] : [];
    }),
  );
}

function isCeiling(reads: PromptReads, c: NonNullable<PromptReads['cut']>): boolean {
  return (
    c.calls >= 2 &&
    c.maxRead <= c.minRead * (1 + SAME_READ) &&
    c.maxSent >= c.minSent * (1 + DIFFERENT_SENT) &&
    reads.most <= c.maxRead
  );
}

/**
 * What the server read of the prompts it cut, said alike by the run summary and the Playground. Not "the first N
 * tokens": Ollama and llama.cpp's server keep the end of an over-long prompt and drop its start (Ollama's chat
 * drops the oldest messages first), so what the model did not see is the beginning, not the end.
 */
export function serverReadWords(cut: Pick<CutPrompts, 'window' | 'longest'>, of: string): string {
  return `The server read only about ${cut.window} tokens of ${of} (up to about ${cut.longest} tokens were sent)`;
}

/** A context window that holds the longest cut prompt and an answer: the next power of two above both. */
export function windowFor(longest: number): number {
  return 2 ** Math.ceil(Math.log2(longest + 1024));
}

/** The context window to give the model, and how, on the servers that cut without saying so (run summary, Playground). */
export function largerWindow(n: number): string {
  return `a context window of at least ${n} tokens (Ollama: OLLAMA_CONTEXT_LENGTH=${n}; llama-server: -c ${n} for each parallel slot, e.g. -c ${n * 4} --parallel 4)`;
}

/**
 * A deep copy (stats are emitted per call, and a resumed run starts from one of its checkpoint's), holding only
 * what is a record: undefined when nothing is.
 */
export function copyPromptReads(reads: RunStats['promptReads']): RunStats['promptReads'] {
  const records = recordsOf(reads);
  return records.length ? Object.fromEntries(records) : undefined;
}

const CUT_FIELDS = ['calls', 'minRead', 'maxRead', 'minSent', 'maxSent'] as const;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * The roles' records, each a fresh copy. Like the outage records, they are optional stats of a checkpoint, a file
 * anyone can edit: what is not a record (`{"policy": null}`) is left out, not trusted, and costs only the note
 * of cut prompts it could have given, never the resume.
 */
function recordsOf(reads: unknown): [Role, PromptReads][] {
  return ROLES.flatMap((role): [Role, PromptReads][] => {
    const r = (reads as Record<string, Partial<PromptReads> | null> | null | undefined)?.[role];
    if (!isCount(r?.most)) return [];
    const cut = r.cut;
    const whole = cut && CUT_FIELDS.every((k) => isCount(cut[k]));
    return [[role, { most: r.most, ...(whole ? { cut: { ...cut } } : {}) }]];
  });
}

/**
 * An endpoint (or the in-page model) that turns to empty replies in the middle of a run: before this watch the run
 * went on, an empty answer scored 1 without a judge, and the final check gave "no improvement" on answers that
 * were never there, then deleted the checkpoint. The gateway notes every reply here; once a role that gave text
 * before sends nothing but empty replies for a while, the run fails with EmptyReplies (the endpoint's fault, like
 * an outage): its checkpoint is kept, and the empty replies are dropped from its call cache, so a resume once the
 * endpoint is fixed asks them again instead of replaying them.
 */
import type { ChatResult } from '../contracts/chat-model';
import { AppError, ErrorName } from '../contracts/errors';
import { ROLES, type Role } from '../contracts/run-config';
import type { RunStats } from '../contracts/run-events';

/**
 * Empty replies in a row, from a role that gave text before, that mean the endpoint turned to empty replies.
 * A model may give an empty answer now and then (a question it will not touch, a prompt that silences it): at a
 * rate of even 30% twelve in a row happen with a chance of about 1 in 2 million per call, about 0.1% in a run
 * of 2000 calls. A prompt that silences the model gives one empty answer per question it is scored on, so the
 * run raises the count to three prompts' worth (`queriesPerLevel` × 3) when that is more.
 */
export const EMPTY_STREAK = 12;

/** What cuts an answer to nothing at its token limit (a reasoning model thinks first): the fix, for both errors. */
export const CUT_ADVICE =
  'A reasoning model spends it thinking first: turn its thinking off in the server (llama.cpp: --reasoning-budget 0), ' +
  'or raise the policy’s max tokens.';

/** Whether a reply holds no text at all (every choice empty or blank). */
export function isEmptyReply(result: ChatResult): boolean {
  return result.choices.length === 0 || result.choices.every((c) => !(c.text ?? '').trim());
}

/** What each role's replies are called. */
const OUTPUTS: Record<Role, string> = {
  policy: 'answers',
  aspect: 'aspect choices',
  judge: 'judgements',
  optimizer: 'rewrites',
};

/**
 * When a call was asked for (the gateway takes it as the call starts): with calls running at once, a reply asked
 * for before the endpoint broke can come back after its first empty replies, and says nothing of it now.
 */
export interface Asked {
  /** The watch's `seq` then (replies noted so far). */
  seq: number;
  /** Its call number: the calls counted then, and those in flight, plus one. */
  call: number;
}

interface Streak {
  /** Cache keys of the empty replies, in the order they came. */
  keys: string[];
  /** The lowest call number among them (where the endpoint broke, whatever order they came back in). */
  atCall: number;
  /** The watch's reply sequence number of the first of them. */
  seq: number;
  /** Every one of them ended at its token limit. */
  allCut: boolean;
}

export class EmptyReplyWatch {
  /** Replies noted so far (each cache key once: a reply served again from the cache is the same reply). */
  seq = 0;
  private readonly seen = new Set<string>();
  private readonly hadText = new Set<Role>();
  private readonly open = new Map<Role, Streak>();

  constructor(
    private readonly stats: RunStats,
    /** Empty replies in a row that stop the run; undefined: count them only (an evaluation). */
    private readonly streak: number | undefined,
    /** Who sends a role's replies: "endpoint" for a server, "model" for the in-page model. */
    private readonly subject: (role: Role) => 'endpoint' | 'model',
  ) {}

  /**
   * Notes a reply (`fresh`: from the model now, not from the cache; `asked`: when it was asked for, else just now):
   * empty ones are counted in the stats; the error to stop the run with when the role has turned to empty replies,
   * else null.
   */
  note(role: Role, key: string, result: ChatResult, fresh: boolean, asked?: Asked): AppError | null {
    if (this.seen.has(key)) return null;
    this.seen.add(key);
    const at = asked ?? { seq: this.seq, call: this.stats.calls };
    this.seq++;
    if (!isEmptyReply(result)) {
      this.hadText.add(role);
      // Only a reply asked for after the empty ones began shows the role answers again: one asked before (it
      // came back late, calls running at once) or served from the cache (an earlier session's) does not.
      const s = this.open.get(role);
      if (s && fresh && at.seq >= s.seq) this.open.delete(role);
      return null;
    }
    if (fresh) {
      const counts = (this.stats.emptyReplies ??= {});
      counts[role] = (counts[role] ?? 0) + 1;
    }
    // A role that never gave text is no endpoint that changed: a run that scores nothing says why (NothingScored).
    if (!this.hadText.has(role)) return null;
    let s = this.open.get(role);
    if (!s) this.open.set(role, (s = { keys: [], atCall: at.call, seq: this.seq, allCut: true }));
    s.keys.push(key);
    s.atCall = Math.min(s.atCall, at.call);
    s.allCut &&= result.choices.every((c) => c.finish_reason === 'length');
    return this.streak !== undefined && s.keys.length >= this.streak ? this.error(role) : null;
  }

  /**
   * The error for a role that turned to empty replies, named by the call where the first of the current runs of
   * empty replies began (any role's); `finalCheck`: the final check got not one answer with text (its verdict
   * would rest on empty answers alone).
   */
  error(role: Role, finalCheck = false): AppError {
    const s = this.open.get(role);
    const streaks = [...this.open.values()];
    const first = streaks.length > 0 ? Math.min(...streaks.map((x) => x.atCall)) : undefined;
    const endpoint = this.subject(role) === 'endpoint';
    const what = [...this.open.keys()].every((r) => r === 'policy') ? 'answers' : 'replies';
    const who = `${endpoint ? 'The endpoint began sending' : 'The model began giving'} empty ${what}`;
    const at = first !== undefined ? ` at call ${first}` : '';
    const message = finalCheck
      ? `${who}${at}: the final check got not one answer with text.`
      : `${who}${at} (the last ${s?.keys.length ?? 0} ${OUTPUTS[role]} were all empty, after ones with text).`;
    const check = endpoint ? 'Check the server and its log' : 'Reload the model';
    const detail = s?.allCut
      ? `Each ended at its token limit before any text. ${CUT_ADVICE} Then continue the run.`
      : `A verdict on empty answers would mean nothing. ${check}, then continue the run: the empty replies are ` +
        'asked again.';
    return new AppError(ErrorName.EmptyReplies, message, { detail, retryable: true });
  }

  /**
   * Drops the empty replies of every role's current run of them from `cache` and from its `hits` (a resume asks
   * them again, and counts its hits on them from nothing) and returns the sequence number of the first dropped one
   * (undefined: none), so what was built on them can go too.
   */
  retract(cache: Record<string, unknown>, hits: Record<string, number>): number | undefined {
    let first: number | undefined;
    for (const s of this.open.values()) {
      for (const key of s.keys) {
        delete cache[key];
        delete hits[key];
      }
      first = first === undefined ? s.seq : Math.min(first, s.seq);
    }
    return first;
  }
}

/** A copy of the counts, leaving out what is not one (a checkpoint is a file anyone can edit); undefined: none. */
export function copyEmptyReplies(counts: unknown): Partial<Record<Role, number>> | undefined {
  if (typeof counts !== 'object' || counts === null) return undefined;
  const out: Partial<Record<Role, number>> = {};
  for (const role of ROLES) {
    const n = (counts as Record<string, unknown>)[role];
    if (Number.isSafeInteger(n) && (n as number) > 0) out[role] = n as number;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

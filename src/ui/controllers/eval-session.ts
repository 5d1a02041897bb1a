/**
 * Drives one held-out evaluation from the page: the worker runs it as a job (core/eval/eval-job.ts,
 * through the same call pipeline as a run) and keeps its checkpoint in the stored record; this session
 * creates that record, follows the throttled progress and stores the report at the end.
 *
 * The session lives in this module, not in the element: closing the Evaluate view does not stop or lose
 * the evaluation, and opening it again shows the same progress. After a reload (the worker is gone too)
 * the stored record still says 'running': the view offers to resume it from its checkpoint, which
 * repeats none of the calls it holds. A tab holds the Web Lock of the evaluation it runs (run-ownership.ts), so
 * another tab does not take a running evaluation for an interrupted one.
 */
import type { WorkerClient } from '../../client/worker-client';
import { AppError, ErrorName, serializeError, type SerializedError } from '../../core/contracts/errors';
import type { RunStats } from '../../core/contracts/run-events';
import { sameEvalPlan, type EvalCheckpoint, type EvalJobPlan } from '../../core/eval/eval-job';
import type { EvalProgress, EvalReport } from '../../core/eval/eval-types';
import type { TimedRetry } from '../../core/calls/fault-summary';
import type { EvalJobUpdate } from '../../protocol/worker-api';
import { newId, type EvaluationPatch, type EvaluationRecord, type Store } from '../../store/store';
import { acquireRun, type RunLease } from './run-ownership';
import { timedRetry } from '../view-models/run/waiting';

export type EvalClientPort = Pick<WorkerClient, 'startEval' | 'cancel' | 'newJobId'>;
export type EvalStorePort = Pick<Store, 'createEvaluation' | 'getEvaluation' | 'updateEvaluation' | 'deleteEvaluation'>;

/** 'elsewhere': another tab of this browser runs this evaluation, so this page did not start it. */
export type EvalSessionStatus = 'running' | 'stopping' | 'completed' | 'stopped' | 'failed' | 'elsewhere';

/** The lock name of an evaluation (shared with runs' ownership, under its own prefix). */
export const evalLockId = (evalId: string): string => `eval:${evalId}`;

export class EvalSession {
  status: EvalSessionStatus = 'running';
  progress: EvalProgress | null = null;
  stats: RunStats | null = null;
  report: EvalReport | null = null;
  /**
   * A failed request waiting for its retry, with when this page heard of it: its note counts down from then and
   * goes once the retry is due (view-models/waiting.ts, as in the Live view); null when none waits.
   */
  retry: TimedRetry | null = null;
  /** When the worker last told this evaluation anything (ms since the epoch): a long silence is said. */
  heardAt: number | null = null;
  error: SerializedError | null = null;
  /** Storage refused the record or the report (the evaluation itself went on). */
  saveError: SerializedError | null = null;
  /** The stored record's id (null without a store, or when it could not be created). */
  recordId: string | null = null;
  /** Stopped before any answer was scored: nothing was kept (an empty report would hide the last good one). */
  discarded = false;
  /** The record deleted then (or discarded after a failure), which a list read just before must not offer to resume. */
  discardedId: string | null = null;
  private jobId: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: EvalClientPort,
    private readonly store: EvalStorePort | undefined,
  ) {}

  /** Whether this session keeps its record in `store` (views of another store do not show it). */
  writesTo(store: unknown): boolean {
    return this.store === store;
  }

  get running(): boolean {
    return this.status === 'running' || this.status === 'stopping';
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Cooperative: the job ends with what was judged so far (a report with `complete: false`). */
  stop(): void {
    if (!this.running || !this.jobId) return;
    this.status = 'stopping';
    this.notify();
    void this.client.cancel(this.jobId).catch(() => undefined);
  }

  /**
   * Runs a new evaluation, or resumes a stored one from its checkpoint. Never throws: see `error`.
   * The evaluation's lock is taken first: a stored one another tab runs is left alone (status 'elsewhere'),
   * and a new record is announced only once this tab holds its lock, so no other tab takes it for an
   * interrupted one.
   */
  async run(name: string, job: EvalJobPlan, resume?: EvaluationRecord): Promise<void> {
    let lease: RunLease | null = null;
    try {
      const id = resume?.id ?? (this.store ? newId() : null);
      if (id) {
        // Without a working lock manager the evaluation still runs (as runs do).
        lease = await acquireRun(evalLockId(id)).catch(() => ({ release: () => undefined }));
        if (!lease) {
          this.recordId = id;
          this.status = 'elsewhere';
          return;
        }
      }
      const record =
        resume ?? (await this.store?.createEvaluation({ id: id ?? undefined, name, job }).catch(this.saveFailed));
      this.recordId = record?.id ?? null;
      // Resumed from the record as stored now (the lock held, nothing else writes it), not as the view's list read
      // it: Retry pressed before that list is read again after the failure hands over the record as it was when
      // the evaluation began, with none of the calls saved since, and the evaluation would start over.
      let stored: EvaluationRecord | undefined;
      if (resume) {
        try {
          stored = await this.storedNow(resume);
        } catch (err) {
          // Nothing started, so nothing spent and nothing written: the record (if any) stays as it was.
          this.error = serializeError(err);
          this.status = 'failed';
          return;
        }
        await this.save({ status: 'running', error: undefined });
      }
      const checkpoint: EvalCheckpoint | null =
        stored?.calls && stored.stats
          ? { calls: stored.calls, hits: stored.hits, stats: stored.stats, progress: stored.progress ?? null }
          : null;
      this.progress = checkpoint?.progress ?? null;
      this.jobId = this.client.newJobId();
      this.heardAt = Date.now();
      const onProgress = (p: EvalJobUpdate) => {
        // Before its first step a new evaluation has neither (a resumed one keeps its checkpoint's).
        this.progress = p.progress ?? this.progress;
        this.stats = p.stats ?? this.stats;
        this.heardAt = Date.now();
        this.retry = p.retry ? timedRetry(this.retry, p.retry, this.heardAt) : null;
        this.notify();
      };
      const result = await this.client.startEval(
        this.jobId,
        // Without a stored record the worker keeps no checkpoint.
        this.recordId ? { ...job, evalId: this.recordId } : job,
        checkpoint,
        onProgress,
      );
      this.stats = result.stats;
      this.status = result.report.complete ? 'completed' : 'stopped';
      if (!result.report.complete && result.report.candidates.every((c) => c.counts.scored === 0)) {
        // A stopped evaluation with no score is no report: it must not hide the last good one behind dashes.
        if (resume) {
          // Resumed: its saved answers were paid for. It stays as it was, to be resumed again (this session
          // no longer claims it, so the view offers its Resume).
          await this.save({ status: (stored ?? resume).status });
          this.recordId = null;
          return;
        }
        // New: nothing of value yet, so nothing is kept.
        this.discardedId = this.recordId;
        this.discarded = true;
        if (this.recordId) await this.store?.deleteEvaluation(this.recordId).catch(this.saveFailed);
        this.recordId = null;
        return;
      }
      this.report = result.report;
      await this.save({
        status: this.status,
        report: result.report,
        stats: result.stats,
        calls: undefined,
        hits: undefined,
      });
    } catch (err) {
      this.error = serializeError(err);
      this.status = 'failed';
      // The checkpoint stays with the record: the evaluation can be resumed once the cause is fixed. Not
      // when nothing could be scored: a resume would replay the same unusable replies from it.
      const keep = resumableAfter(this.error);
      await this.save({ status: 'failed', error: this.error, ...(keep ? {} : { calls: undefined, hits: undefined }) });
    } finally {
      lease?.release();
      this.retry = null;
      this.notify();
    }
  }

  /**
   * Deletes the record of this failed evaluation (Discard beside its Resume), or of one found running in another
   * tab (Discard in the interrupted box once that tab let go): its error or that note is said no more, and it
   * is not offered for resuming. Throws when storage refuses; the evaluation is then kept as it was.
   */
  async discard(): Promise<void> {
    if ((this.status !== 'failed' && this.status !== 'elsewhere') || !this.recordId) return;
    await this.store?.deleteEvaluation(this.recordId);
    this.discardedId = this.recordId;
    this.recordId = null;
    this.error = null;
    this.notify();
  }

  /**
   * The record to resume as stored now. Deleted meanwhile (Discard in another tab): Gone, before any call is made;
   * going ahead would spend the calls and then fail to save the report. A failed read throws too (it can be retried).
   */
  private async storedNow(resume: EvaluationRecord): Promise<EvaluationRecord> {
    if (!this.store) return resume;
    const stored = await this.store.getEvaluation(resume.id);
    if (stored) return stored;
    // No longer this session's record: nothing offers to retry or discard it, and a stale list does not offer it.
    this.recordId = null;
    this.discardedId = resume.id;
    throw new AppError(ErrorName.Gone, 'This evaluation no longer exists (it may have been deleted in another tab).');
  }

  private readonly saveFailed = (err: unknown): undefined => {
    this.saveError = serializeError(err);
    return undefined;
  };

  private async save(patch: EvaluationPatch): Promise<void> {
    if (!this.recordId || !this.store) return;
    await this.store.updateEvaluation(this.recordId, patch).catch(this.saveFailed);
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

let current: EvalSession | null = null;

/** The evaluation this page runs (or ran last), if any: the Evaluate view re-attaches to it when opened. */
export function currentEvalSession(): EvalSession | null {
  return current;
}

/**
 * Starts (or resumes) an evaluation; one at a time per page: null (nothing started) while this page's
 * evaluation still runs, which goes on untouched.
 */
export function startEvalSession(
  client: EvalClientPort,
  store: EvalStorePort | undefined,
  name: string,
  job: EvalJobPlan,
  resume?: EvaluationRecord,
): EvalSession | null {
  if (current?.running) return null;
  const session = new EvalSession(client, store);
  current = session;
  void session.run(name, job, resume);
  return session;
}

/** Whether a stored evaluation can be resumed: interrupted or failed, with its plan kept. */
export function canResumeEvaluation(r: EvaluationRecord): boolean {
  return !!r.job && (r.status === 'running' || (r.status === 'failed' && resumableAfter(r.error)));
}

/**
 * Whether a stored evaluation left unfinished (interrupted, or failed) is superseded: the same comparison
 * (sameEvalPlan) was started after it and completed. Its report would tell nothing that report does not, so the
 * Evaluate view drops it rather than offer to resume it above that report. One started before it is not: an
 * evaluation the user started again after a completed one is one they want.
 */
export function supersededEvaluation(r: EvaluationRecord, all: readonly EvaluationRecord[]): boolean {
  const job = r.job;
  if (!job || r.status === 'completed' || r.status === 'stopped' || r.status === undefined) return false;
  return all.some(
    (e) =>
      e.id !== r.id &&
      e.status === 'completed' &&
      e.report?.complete === true &&
      e.savedAt > r.savedAt &&
      !!e.job &&
      sameEvalPlan(e.job, job),
  );
}

/** Whether an evaluation that failed this way is worth resuming (nothing scored: it would replay the same replies). */
export function resumableAfter(error: SerializedError | null | undefined): boolean {
  return error?.name !== ErrorName.NothingScored;
}

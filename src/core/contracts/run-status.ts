/**
 * What a run's status means, and how its events change it: one fold for the store (the run record) and
 * the page (the live view), so both always say the same. An 'error' event means the run stopped on an
 * error (the engine emits it only when it stops); the 'run-finished' that follows has the last word
 * (a lost GPU or a full disk end as 'paused', so the run resumes once that is fixed).
 */
import type { SerializedError } from './errors';
import type { RunEvent, RunStatus } from './run-events';

/** Statuses after which a run makes no more progress by itself. */
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'budget-exhausted', 'cancelled', 'failed'];

/** Statuses a stored run can be resumed from (a failed run resumes too; a finished one does not). */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ['pending', 'running', 'paused', 'failed'];

export function isFinished(status: RunStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export function isResumable(status: RunStatus): boolean {
  return RESUMABLE_STATUSES.includes(status);
}

export interface StatusState {
  status: RunStatus;
  error: SerializedError | null;
}

/** The status and error after one more event. */
export function foldStatus(state: StatusState, event: RunEvent): StatusState {
  switch (event.type) {
    case 'run-started':
      return { status: 'running', error: null };
    case 'run-finished':
      return { ...state, status: event.status };
    case 'error':
      return { status: 'failed', error: event.error };
    default:
      return state;
  }
}

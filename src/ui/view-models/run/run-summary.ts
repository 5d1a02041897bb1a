/** One line of facts about a stored run, for lists (history, the resume banner). */
import type { ListedResult, ListedRun } from '../../../store/store';
import { isResumable } from '../../../core/contracts/run-status';
import type { RunStatus } from '../../../core/contracts/run-events';
import { INTERRUPTED_WORD, STATUS_WORDS } from './run-view-model';

export interface RunSummary {
  id: string;
  name: string;
  model: string;
  preset: string;
  /**
   * Once the run ended, the path mean of the prompt it handed back; while it can go on (a resumable status), the
   * best the search reached so far, which never goes down (History's RUN_PATH_MEAN_COLUMN holds both).
   */
  best: number | null;
  /** What lists show of the run's result, once it ended with one (a paused run's is its best so far, not a result). */
  result: ListedResult | null;
  status: RunStatus;
  updatedAt: number;
  /** Can be resumed: a resumable status and a checkpoint to resume from. */
  unfinished: boolean;
}

export function runSummary(r: ListedRun): RunSummary {
  return {
    id: r.id,
    name: r.name || r.id,
    model: r.config?.roles?.policy?.modelId ?? 'unknown model',
    preset: r.config?.preset ?? '',
    best: (isResumable(r.status) ? (r.reached ?? r.best) : r.best)?.reward ?? null,
    result: isResumable(r.status) ? null : (r.result ?? null),
    status: r.status,
    updatedAt: r.updatedAt ?? r.createdAt,
    unfinished: r.resumable,
  };
}

/**
 * The status as lists show it, in the words of the live view (STATUS_WORDS): a stored "running" run that is not
 * running here was interrupted, and says so instead of a stale "Running".
 */
export function listStatus(r: Pick<RunSummary, 'status'>, runningHere: boolean): string {
  if (r.status === 'running' && !runningHere) return INTERRUPTED_WORD;
  return STATUS_WORDS[r.status];
}

export function formatScore(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(2) : '—';
}

export function formatDate(ms: number | string | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

/**
 * What a run's status means, and how its events change what is known of it (status, error, stage, best
 * prompt, counters, alignment): one fold for the store (the run record) and the page (the live view), so
 * both always say the same. An 'error' event means the run stopped on an
 * error (the engine emits it only when it stops); the 'run-finished' that follows has the last word
 * (a lost GPU or a full disk end as 'paused', so the run resumes once that is fixed).
 */
import type { SerializedError } from './errors';
import type { AlignmentArtifact } from './alignment';
import type { BestSoFar, RunEvent, RunStage, RunStats, RunStatus } from './run-events';

/**
 * The search's figure, one name wherever a run's is shown: History's column header ("Path mean"), the Live view
 * and the CLI's progress line.
 */
export const PATH_MEAN_NAME = 'path mean';

/** What follows it while the run can go on: the best the search reached so far, which never goes down. */
export const BEST_SO_FAR_MARK = '(best so far)';

/**
 * "path mean 4.08 (best so far)": the Live view and the CLI's progress line say the best path mean the search
 * reached in these words, and History's column the same under its header (name, figure, mark).
 */
export function bestSoFarWords(figure: string): string {
  return `${PATH_MEAN_NAME} ${figure} ${BEST_SO_FAR_MARK}`;
}

/**
 * Each stage in words, as the page's Live view and the CLI's progress line name it (the words the presets and
 * the verdict use: "example polishing", "the final check").
 */
export const STAGE_WORDS: Record<RunStage, string> = {
  icl: 'example polishing',
  search: 'search',
  validation: 'final check',
  done: 'done',
};

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

/** What the run record and the live view both keep of a run. */
export interface RunFacts extends StatusState {
  stage: RunStage | null;
  /**
   * The best prompt so far; at the end, the prompt the run hands back (run-finished's pick, which may score
   * below the search's best: the starting prompt the final check kept, or a stopped run's pick at its deepest
   * level). Kept when the end names none.
   */
  best: BestSoFar | null;
  /**
   * The best path mean the search reached (its levels' bests): never replaced by the end's pick, so a figure
   * shown as "so far" never goes down. Absent in records written before it was kept.
   */
  reached?: BestSoFar | null;
  stats: RunStats | null;
  artifact: AlignmentArtifact | null;
}

/** Folds one event into `facts`, in place (the live view folds thousands of events). */
export function foldRunFacts(facts: RunFacts, event: RunEvent): void {
  Object.assign(facts, foldStatus(facts, event));
  switch (event.type) {
    case 'stage-changed':
      facts.stage = event.stage;
      break;
    case 'beam-selected':
      facts.best = event.best;
      if (!facts.reached || event.best.reward > facts.reached.reward) facts.reached = event.best;
      break;
    case 'usage':
      facts.stats = event.stats;
      break;
    case 'run-finished':
      facts.stats = event.stats;
      if (event.best) facts.best = event.best;
      facts.artifact = event.artifact;
      facts.stage = 'done';
      break;
    default:
      break;
  }
}

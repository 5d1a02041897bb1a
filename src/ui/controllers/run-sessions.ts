/**
 * The page's run sessions by run id, and listeners to all of them. Kept apart from run-controller.ts
 * (which folds events into view models) so the shell, History and the tab title can ask "is this run
 * going in this page?" without loading the live run's code: it arrives with the Run, Live or Result view.
 */

/** What the shell and the tab title need to know of a session. */
export interface SessionNotice {
  readonly runId: string;
  readonly running: boolean;
  /** Another tab of this browser drives the run, and this page follows it (read-only). */
  readonly heldElsewhere?: boolean;
  /** Percent of the run's model calls done, from what is measured so far (null before anything is known). */
  percentDone(): number | null;
  /** The run's state in words ("Finished", "Paused", …). */
  statusWords(): string;
}

const sessions = new Map<string, SessionNotice>();
const anySession = new Set<(s: SessionNotice) => void>();

/** Listeners to every session (the page title shows a background run's progress). */
export function onAnySession(fn: (s: SessionNotice) => void): () => void {
  anySession.add(fn);
  return () => anySession.delete(fn);
}

/** Called by a session whenever it changes. */
export function announceSession(s: SessionNotice): void {
  for (const l of anySession) l(s);
}

export function findSession<S extends SessionNotice>(runId: string): S | undefined {
  return sessions.get(runId) as S | undefined;
}

export function registerSession(s: SessionNotice): void {
  sessions.set(s.runId, s);
}

/**
 * Whether this page is running the run now. A stored "running" run that no page runs was interrupted
 * (its tab closed or reloaded); lists label it so and offer Resume.
 */
export function runningInThisPage(runId: string): boolean {
  return sessions.get(runId)?.running ?? false;
}

/** Test hook: forget every session. */
export function resetRunSessions(): void {
  sessions.clear();
}

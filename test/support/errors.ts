/** The error a promise rejects with, typed loosely (our errors carry status, detail, retryable). */
export type Failure = Error & { status?: number; detail?: string; retryable?: boolean };

/** Awaits `p` and returns what it rejected with; a promise that resolves fails the test. */
export async function rejection(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (err) {
    return err as Failure;
  }
  throw new Error('expected a rejection');
}

/** Runs `fn` and returns what it threw; a call that returns fails the test. */
export function thrown(fn: () => unknown): Failure {
  try {
    fn();
  } catch (err) {
    return err as Failure;
  }
  throw new Error('expected a throw');
}

/**
 * One loaded model per browser profile: two tabs each holding a model would exhaust most GPUs.
 * While a model is loaded we hold the Web Lock 'drpo-studio-model'; a second tab is refused at once.
 */
import { AppError, ErrorName } from '../core/contracts/errors';

export const MODEL_LOCK_NAME = 'drpo-studio-model';

export class ModelLock {
  private release: (() => void) | null = null;

  constructor(
    private readonly locks: LockManager | null = globalThis.navigator?.locks ?? null,
    private readonly name: string = MODEL_LOCK_NAME,
  ) {}

  get held(): boolean {
    return this.release !== null;
  }

  /** Resolves once held; rejects with ModelLockedError if another tab holds it. No-op without Web Locks. */
  async acquire(): Promise<void> {
    if (this.release || !this.locks) return;
    const locks = this.locks;
    await new Promise<void>((resolve, reject) => {
      locks
        .request(this.name, { ifAvailable: true }, (lock) => {
          if (!lock) {
            reject(
              new AppError(
                ErrorName.ModelLocked,
                'DRPO Studio already has a model loaded in another tab; close it or unload the model there.',
              ),
            );
            return undefined;
          }
          // Hold the lock until release(): the callback's promise keeps it.
          const held = new Promise<void>((done) => {
            this.release = done;
          });
          resolve();
          return held;
        })
        .catch(reject);
    });
  }

  releaseLock(): void {
    this.release?.();
    this.release = null;
  }
}

/**
 * One reading of a list at a time, and at most one more after it however many notices came in meanwhile (a
 * running run announces a change several times a second). Used by History's lists and the app's StoredRuns.
 */
export class Reread {
  private running: Promise<void> | null = null;
  private again = false;
  constructor(private readonly read: () => Promise<void>) {}

  /** A reading is under way (a notice now only asks for one more). */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves once a reading that started after this call has been done. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const loop = async () => {
      try {
        do {
          this.again = false;
          await this.read();
        } while (this.again);
      } finally {
        this.running = null;
      }
    };
    this.running = loop();
    return this.running;
  }
}

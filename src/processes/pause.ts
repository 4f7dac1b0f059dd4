/**
 * The waits of one probing run. A wakeable wait ends early on `wake()` (a log probe's line arrived);
 * every wait, now and later, ends at once when the signal aborts. One abort listener for the whole run,
 * not one per wait.
 */
export class Pause {
  #timer: NodeJS.Timeout | undefined;
  #done: (() => void) | undefined;
  #wakeable = false;
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
    signal.addEventListener("abort", () => this.#end(), { once: true });
  }

  get cancelled(): boolean {
    return this.#signal.aborted;
  }

  /** Resolves after `ms`, on abort, or (when wakeable) on `wake()`, whichever comes first. */
  for(ms: number, wakeable = true): Promise<void> {
    this.#end();
    if (this.#signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.#done = resolve;
      this.#wakeable = wakeable;
      this.#timer = setTimeout(() => this.#end(), ms);
    });
  }

  wake(): void {
    if (this.#wakeable) this.#end();
  }

  #end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const done = this.#done;
    this.#done = undefined;
    done?.();
  }
}

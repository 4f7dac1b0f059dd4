/** Restart delays: 250 ms, doubling, capped at 30 s. */
export function restartDelayMs(failures: number): number {
  return Math.min(30_000, 250 * 2 ** Math.max(0, failures - 1));
}

/** A crash loop: this many failures within the window stops the retries. */
export const CRASH_LOOP = { failures: 5, windowMs: 60_000 } as const;

/** Remembers recent failure times and tells when they make a crash loop. */
export class FailureWindow {
  readonly #times: number[] = [];

  record(now = Date.now()): void {
    this.#times.push(now);
    while (this.#times.length > 0 && (this.#times[0] ?? 0) < now - CRASH_LOOP.windowMs) this.#times.shift();
  }

  get recent(): number {
    return this.#times.length;
  }

  get isLoop(): boolean {
    return this.#times.length >= CRASH_LOOP.failures;
  }

  reset(): void {
    this.#times.length = 0;
  }
}

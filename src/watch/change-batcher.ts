/**
 * Trailing-debounce batcher: `push()` files; `run(files)` is called once changes are quiet for `quietMs`
 * (0: on the next tick after the first change). Changes pushed while `run` is in progress are merged and
 * cause exactly one more run after it ends (after the quiet window), never more. Changes that never fall
 * quiet (a process writing a watched file constantly) still run once `maxWaitMs` after the first of them.
 */
export class ChangeBatcher {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** When the oldest change waiting for a run came. */
  private firstPendingAt: number | undefined;
  private readonly maxWaitMs: number;

  /** `onError` hears a run that rejected (a run should handle its own failures); the batcher carries on. */
  constructor(
    private readonly quietMs: number,
    private readonly run: (files: string[]) => Promise<void>,
    private readonly onError?: (error: unknown) => void,
  ) {
    this.maxWaitMs = Math.max(2_000, 10 * quietMs);
  }

  push(files: string[]): void {
    if (this.closed) return;
    for (const file of files) this.pending.add(file);
    this.firstPendingAt ??= Date.now();
    if (!this.running) this.schedule();
  }

  /**
   * Forgets the changes waiting for a run that `covered` says the run in progress already takes in (a
   * restart whose new process starts after they were made); whether any still wait.
   */
  drop(covered: (file: string) => boolean): boolean {
    for (const file of this.pending) if (covered(file)) this.pending.delete(file);
    if (this.pending.size === 0) this.firstPendingAt = undefined;
    return this.pending.size > 0;
  }

  /** No more runs; a run in progress finishes. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.firstPendingAt = undefined;
    if (!this.running) this.settle();
  }

  /** A run is in progress or changes wait for one. */
  get busy(): boolean {
    return this.running || this.timer !== undefined;
  }

  /** Resolves when no run is in progress and none is waiting. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const untilMaxWait = (this.firstPendingAt ?? Date.now()) + this.maxWaitMs - Date.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.runPending();
      },
      Math.max(0, Math.min(this.quietMs, untilMaxWait)),
    );
  }

  private async runPending(): Promise<void> {
    const files = [...this.pending].sort();
    this.pending.clear();
    this.firstPendingAt = undefined;
    this.running = true;
    try {
      await this.run(files);
    } catch (error) {
      this.onError?.(error);
    } finally {
      this.running = false;
    }
    if (!this.closed && this.pending.size > 0) this.schedule();
    else this.settle();
  }

  private settle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

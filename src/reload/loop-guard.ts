/**
 * Tells a process that rewrites its own watched files from one edited by a person: changes first seen
 * within `soonMs` of its start, `limit` reloads in a row within `windowMs`, are its own doing.
 */
export class LoopGuard {
  readonly #recent = new Map<string, number[]>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 20_000,
    readonly soonMs = 2_000,
  ) {}

  /** Records a reload of `process` for changes first seen at `changedAt`; true when it loops. */
  record(process: string, changedAt: number, startedAt: number | undefined): boolean {
    if (startedAt === undefined || changedAt - startedAt > this.soonMs) {
      this.#recent.delete(process);
      return false;
    }
    const recent = [...(this.#recent.get(process) ?? []), changedAt].filter(
      (at) => changedAt - at <= this.windowMs,
    );
    this.#recent.set(process, recent);
    return recent.length >= this.limit;
  }

  forget(process: string): void {
    this.#recent.delete(process);
  }
}

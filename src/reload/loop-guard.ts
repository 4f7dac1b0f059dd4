/**
 * Tells a process that rewrites its own watched files from a person editing them. Its writes come at the
 * same moment of each run: the changes behind `limit` reloads in a row were first seen within `soonMs` of
 * its start, at offsets no more than `spreadMs` apart. A person's saves (an editor's auto-save included)
 * do not keep time with the process's starts.
 */
export class LoopGuard {
  readonly #offsets = new Map<string, { at: number; offset: number }[]>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 30_000,
    readonly soonMs = 2_000,
    readonly spreadMs = 300,
  ) {}

  /** Records a reload of `process` for changes first seen at `changedAt`; true when it loops. */
  record(process: string, changedAt: number, startedAt: number | undefined): boolean {
    const offset = startedAt === undefined ? Number.POSITIVE_INFINITY : changedAt - startedAt;
    if (offset > this.soonMs) {
      this.#offsets.delete(process);
      return false;
    }
    const recent = [...(this.#offsets.get(process) ?? []), { at: changedAt, offset }]
      .filter(({ at }) => changedAt - at <= this.windowMs)
      .slice(-this.limit);
    this.#offsets.set(process, recent);
    const offsets = recent.map((entry) => entry.offset);
    return recent.length >= this.limit && Math.max(...offsets) - Math.min(...offsets) <= this.spreadMs;
  }

  forget(process: string): void {
    this.#offsets.delete(process);
  }
}

/**
 * Tells a process that rewrites its own watched files from a person editing them. Its writes come at the
 * same moment of each run: the changes behind `limit` reloads in a row were first seen within `soonMs` of
 * its start (or of its readiness), at offsets no more than `spreadMs` apart counted from its start, or from
 * its readiness (on a busy machine a start takes longer one time than the next; what the process does once
 * it runs still keeps time). A person's saves (an editor's auto-save included) keep time with neither.
 */
export class LoopGuard {
  readonly #offsets = new Map<string, { at: number; fromStart: number; fromReady: number }[]>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 30_000,
    readonly soonMs = 2_000,
    readonly spreadMs = 300,
  ) {}

  /**
   * Records a reload of `process` for changes first seen at `changedAt`, during the run that started at
   * `run.startedAt` and became ready at `run.readyAt`; true when it loops.
   */
  record(
    process: string,
    changedAt: number,
    run: { startedAt: number | undefined; readyAt: number | undefined },
  ): boolean {
    const since = (moment: number | undefined) =>
      moment === undefined ? Number.POSITIVE_INFINITY : changedAt - moment;
    const entry = { at: changedAt, fromStart: since(run.startedAt), fromReady: since(run.readyAt) };
    if (Math.min(entry.fromStart, entry.fromReady) > this.soonMs) {
      this.#offsets.delete(process);
      return false;
    }
    const recent = [...(this.#offsets.get(process) ?? []), entry]
      .filter(({ at }) => changedAt - at <= this.windowMs)
      .slice(-this.limit);
    this.#offsets.set(process, recent);
    const steady = (offsets: number[]) =>
      offsets.every(Number.isFinite) && Math.max(...offsets) - Math.min(...offsets) <= this.spreadMs;
    return (
      recent.length >= this.limit &&
      (steady(recent.map(({ fromStart }) => fromStart)) || steady(recent.map(({ fromReady }) => fromReady)))
    );
  }

  forget(process: string): void {
    this.#offsets.delete(process);
  }
}

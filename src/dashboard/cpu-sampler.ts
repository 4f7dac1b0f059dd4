import { groupCpuTicks } from "../processes/index.js";

/** Linux counts CPU time in USER_HZ ticks, 100 a second on every architecture it runs on. */
const TICKS_PER_SECOND = 100;

/** The CPU each process group used between two samples, in percent of one core. */
export class CpuSampler {
  #last = new Map<number, { ticks: number; at: number }>();

  /** Group id → percent; null for a group first seen now. */
  sample(pgids: ReadonlySet<number>): Map<number, number | null> {
    const at = performance.now();
    const ticks = groupCpuTicks(pgids);
    const percents = new Map<number, number | null>();
    const next = new Map<number, { ticks: number; at: number }>();
    for (const pgid of pgids) {
      const now = ticks.get(pgid);
      if (now === undefined) continue;
      const before = this.#last.get(pgid);
      const seconds = before ? (at - before.at) / 1000 : 0;
      percents.set(
        pgid,
        before && seconds > 0
          ? Math.max(0, Math.round(((now - before.ticks) / TICKS_PER_SECOND / seconds) * 1000) / 10)
          : null,
      );
      next.set(pgid, { ticks: now, at });
    }
    this.#last = next;
    return percents;
  }

  /** Nobody looks: the next sample starts afresh. */
  forget(): void {
    this.#last.clear();
  }
}

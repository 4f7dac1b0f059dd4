import type { DashboardHost } from "../supervisor/index.js";
import { CpuSampler } from "./cpu-sampler.js";
import type { EventStream } from "./event-stream.js";
import type { ProcessRow } from "./types.js";

const EVERY_MS = 1000;

/**
 * While a page is open, the processes are sampled once a second (state, memory, CPU) and a `status` is sent
 * when something a page shows changed. Nothing is sampled while no page is open.
 */
export class StatusFeed {
  readonly #cpu = new CpuSampler();
  #timer: NodeJS.Timeout | undefined;
  #shown = "";
  #busy = false;
  /** The last row of every process seen, by folder and name: one that went away is shown stopped. */
  readonly #seen = new Map<string, ProcessRow>();

  constructor(
    private readonly host: DashboardHost,
    private readonly stream: EventStream,
  ) {}

  /** Every process now, with its CPU since the last sample (null when none was taken). */
  async rows(): Promise<ProcessRow[]> {
    const processes = await this.host.processes();
    const cpu = this.#timer
      ? this.#cpu.sample(new Set(processes.flatMap((row) => (row.pid ? [row.pid] : []))))
      : new Map<number, number | null>();
    const rows: ProcessRow[] = processes.map((row) => ({
      ...row,
      cpu_percent: row.pid ? (cpu.get(row.pid) ?? null) : null,
    }));
    const present = new Set(rows.map(rowKey));
    for (const row of rows) this.#seen.set(rowKey(row), row);
    const known = new Set(this.host.observers.roots());
    for (const [key, row] of this.#seen) {
      if (present.has(key)) continue;
      if (!row.roots.some((root) => known.has(root))) this.#seen.delete(key);
      else rows.push(stopped(row));
    }
    return rows.sort((a, b) => `${a.codebase}/${a.process}`.localeCompare(`${b.codebase}/${b.process}`));
  }

  /** Follows the number of open pages: sampling starts with the first and stops after the last. */
  pages(count: number): void {
    if (count > 0 && !this.#timer) {
      this.#timer = setInterval(() => void this.#tick(), EVERY_MS);
      this.#timer.unref();
      this.#shown = "";
      void this.#tick();
    } else if (count === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#cpu.forget();
    }
  }

  stop(): void {
    this.pages(0);
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const rows = await this.rows();
      const shown = JSON.stringify(rows.map(shownPart));
      if (shown === this.#shown) return;
      this.#shown = shown;
      this.stream.publish("status", rows);
    } catch {
      // a process that ended while it was read: the next second tells
    } finally {
      this.#busy = false;
    }
  }
}

const rowKey = (row: ProcessRow) => `${row.dir}#${row.process}`;

/** A process the supervisor no longer runs (`down`, or removed from its manifest), as last seen. */
function stopped(row: ProcessRow): ProcessRow {
  const { waiting: _, last_lines: __, ...rest } = row;
  return {
    ...rest,
    state: "stopped",
    pid: null,
    uptime_s: null,
    rss_bytes: null,
    cpu_percent: null,
    exposed: [],
  };
}

/** What a change of is worth a message: uptime runs on by itself; memory in MiB, CPU in whole percents. */
function shownPart(row: ProcessRow): unknown {
  const { uptime_s: _, rss_bytes, cpu_percent, ...rest } = row;
  return {
    ...rest,
    rss: rss_bytes === null ? null : Math.round(rss_bytes / 1048576),
    cpu: cpu_percent === null ? null : Math.round(cpu_percent),
  };
}

import type { ProcessStatus } from "../processes/index.js";
import type { HomeOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

export interface StatusResult {
  /** Whether a supervisor runs for this state folder at all. */
  running: boolean;
  /** One row per process of the workspace (of every workspace with `all`). */
  processes: ProcessStatus[];
}

/** `berth status`: state, pid, port, restarts, uptime and memory of every process. */
export async function status(options: HomeOptions & { root: string; all?: boolean }): Promise<StatusResult> {
  const rows = await askRunningSupervisor(options, "status", {
    root: options.root,
    all: options.all ?? false,
  });
  return { running: rows !== undefined, processes: rows ?? [] };
}

/** What a user reads about a process listening beyond loopback (a row's `exposed` addresses). */
export { exposureWarning } from "../logs/index.js";

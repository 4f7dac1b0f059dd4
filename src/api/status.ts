import type { ProcessStatus } from "../processes/index.js";
import type { ExternalStatus } from "../up/index.js";
import type { HomeOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

export interface StatusResult {
  /** Whether a supervisor runs for this state folder at all. */
  running: boolean;
  /** One row per process of the workspace (of every workspace with `all`). */
  processes: ProcessStatus[];
  /** The workspace's `external:` requirements, each tried once (none with `all`). */
  externals: ExternalStatus[];
}

/** `berth status`: state, pid, port, restarts, uptime and memory of every process. */
export async function status(options: HomeOptions & { root: string; all?: boolean }): Promise<StatusResult> {
  // The supervisor tries the externals: it has the workspace loaded, and this process loads no manifest.
  const [rows, externals] = await Promise.all([
    askRunningSupervisor(options, "status", { root: options.root, all: options.all ?? false }),
    options.all ? [] : askRunningSupervisor(options, "externals", { root: options.root, env: process.env }),
  ]);
  return { running: rows !== undefined, processes: rows ?? [], externals: externals ?? [] };
}

/** What a user reads about a process listening beyond loopback (a row's `exposed` addresses). */
export { exposureWarning } from "../logs/index.js";

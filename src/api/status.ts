import type { ProcessStatus } from "../processes/index.js";
import { type ExternalStatus, externalStatuses } from "./support/externals.js";
import { type HomeOptions, homeOf } from "./support/options.js";
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
  const rows = await askRunningSupervisor(options, "status", {
    root: options.root,
    all: options.all ?? false,
  });
  const externals = options.all ? [] : await externalStatuses(options.root, homeOf(options));
  return { running: rows !== undefined, processes: rows ?? [], externals };
}

/** What a user reads about a process listening beyond loopback (a row's `exposed` addresses). */
export { exposureWarning } from "../logs/index.js";

import { nothingRunningError } from "../graph/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

/**
 * `berth restart <target>`: restarts one process (codebase/process) or one codebase, leaving the rest running,
 * with what the manifest says now.
 */
export async function restart(
  options: WorkspaceOptions & { target: string; trustAll?: boolean },
): Promise<{ restarted: string[]; updated: string[] }> {
  const result = await askRunningSupervisor(options, "restart", {
    root: options.root,
    target: options.target,
    env: process.env,
    trustAll: options.trustAll ?? false,
  });
  if (!result) throw nothingRunningError("restart", [options.target]);
  return result;
}

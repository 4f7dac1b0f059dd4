import type { Watching } from "../reload/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

export type { Watching } from "../reload/index.js";

/**
 * `berth watch`: what the supervisor watches of the workspace (of the named codebases only, when named),
 * and what keeps it from watching; undefined when the workspace's edits are not followed.
 */
export async function watching(
  options: WorkspaceOptions & { codebases?: string[] },
): Promise<Watching | undefined> {
  const params = { root: options.root, codebases: options.codebases ?? [] };
  const [followed] = (await askRunningSupervisor(options, "watching", params)) ?? [];
  return followed;
}

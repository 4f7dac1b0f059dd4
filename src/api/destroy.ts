import { BerthError } from "../errors/index.js";
import { SupervisorClient } from "../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export interface DestroyResult {
  /** What was deleted, one line each. */
  deleted: string[];
  /** What was kept although asked for, and why. */
  kept: string[];
}

/**
 * `berth destroy [codebase…]`: deletes the codebases' claimed data (databases and their users, Redis dbs,
 * memcached keys) and declared data folders, after stopping their processes; another workspace's data is
 * never touched. Done by the supervisor, serialised with `up` and `down`.
 */
export async function destroy(
  options: WorkspaceOptions & { codebases?: readonly string[] },
): Promise<DestroyResult> {
  const client = await SupervisorClient.connect(homeOf(options), { start: true });
  if (!client) throw new Error("bug: the supervisor did not start");
  try {
    return await client.request<DestroyResult>("destroy", {
      root: options.root,
      codebases: options.codebases ?? [],
    });
  } finally {
    client.close();
  }
}

export function refusedWithoutYes(what: string): BerthError {
  return new BerthError("BERTH_NOT_CONFIRMED", `nothing was deleted: ${what} needs --yes`, {
    hint: "pass --yes to delete the data (there is no undo; `berth snapshot save <name>` keeps a copy first)",
  });
}

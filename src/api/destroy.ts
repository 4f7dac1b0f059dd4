import { BerthError } from "../errors/index.js";
import type { DestroyResult } from "../supervisor/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { callSupervisor } from "./support/supervisor-call.js";

export type { DestroyResult } from "../supervisor/index.js";

/**
 * `berth destroy [codebase…]`: deletes the codebases' claimed data (databases and their users, Redis dbs,
 * memcached keys) and declared data folders, after stopping their processes; another workspace's data is
 * never touched. Done by the supervisor, serialised with `up` and `down`.
 */
export async function destroy(
  options: WorkspaceOptions & { codebases?: readonly string[] },
): Promise<DestroyResult> {
  const params = { root: options.root, codebases: [...(options.codebases ?? [])] };
  return callSupervisor(options, "destroy", params, { start: true });
}

export function refusedWithoutYes(what: string): BerthError {
  return new BerthError("BERTH_NOT_CONFIRMED", `nothing was deleted: ${what} needs --yes`, {
    hint: "pass --yes to delete the data (there is no undo; `berth snapshot save <name>` keeps a copy first)",
  });
}

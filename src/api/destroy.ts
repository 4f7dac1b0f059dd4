import { rmSync } from "node:fs";
import { BerthError } from "../errors/index.js";
import { commandLine, processTable } from "../processes/index.js";
import { type OrphanData, orphanDataFolders } from "../providers/index.js";
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

/**
 * `berth destroy --orphans`: the folders of servers' data in /var/lib/berth whose state folder was removed.
 * A folder whose state folder is not recorded, or on which a server still runs, is kept and named.
 */
export function destroyOrphans(options: { home?: string }): DestroyResult {
  const deleted: string[] = [];
  const kept: string[] = [];
  for (const orphan of orphanDataFolders(homeOf({ root: "", ...options }))) {
    const user = serverOn(orphan);
    if (orphan.home === undefined) kept.push(`${orphan.dir}: its state folder is not recorded`);
    else if (user) kept.push(`${orphan.dir}: a server still runs on it (pid ${user.pid}, ${user.command})`);
    else {
      rmSync(orphan.dir, { recursive: true, force: true });
      deleted.push(`${orphan.dir} (of the removed state folder ${orphan.home})`);
    }
  }
  return { deleted, kept };
}

/** A process whose command line names the folder: a server left running on it. */
export function serverOn(orphan: OrphanData): { pid: number; command: string } | undefined {
  for (const entry of processTable()) {
    const command = commandLine(entry.pid);
    if (command.includes(`${orphan.dir}/`)) return { pid: entry.pid, command };
  }
  return undefined;
}

export function refusedWithoutYes(what: string): BerthError {
  return new BerthError("BERTH_NOT_CONFIRMED", `nothing was deleted: ${what} needs --yes`, {
    hint: "pass --yes to delete the data (there is no undo; `berth snapshot save <name>` keeps a copy first)",
  });
}

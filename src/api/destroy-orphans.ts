import { rmSync } from "node:fs";
import { processTable } from "../processes/index.js";
import { type OrphanData, orphanDataFolders } from "../providers/index.js";
import type { DestroyResult } from "./destroy.js";
import { homeOf } from "./support/options.js";

/**
 * `berth destroy --orphans`: the folders of servers' data in /var/lib/berth whose state folder was removed.
 * A folder whose state folder is not recorded, or on which a server still runs, is kept and named.
 */
export function destroyOrphans(options: { home?: string; signal?: AbortSignal }): DestroyResult {
  options.signal?.throwIfAborted();
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
    const { command } = entry;
    if (command.includes(`${orphan.dir}/`)) return { pid: entry.pid, command };
  }
  return undefined;
}

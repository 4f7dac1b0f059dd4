import { ask, type SnapshotOptions } from "./support/snapshot-request.js";

/**
 * `berth snapshot restore <name>`: replaces the current data with the snapshot's exactly. The tasks'
 * cache takes the restored data as done (a later `up` does not seed over it); running processes restart.
 */
export function restoreSnapshot(
  options: SnapshotOptions,
): Promise<{ restored: string[]; restarted: string[]; reran: string[] }> {
  return ask(options, "snapshot-restore", {});
}

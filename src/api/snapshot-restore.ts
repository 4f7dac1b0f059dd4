import { type SnapshotOptions, snapshotParams } from "./support/snapshot-request.js";
import { callSupervisor } from "./support/supervisor-call.js";

/**
 * `berth snapshot restore <name>`: replaces the current data with the snapshot's exactly. The tasks'
 * cache takes the restored data as done (a later `up` does not seed over it); running processes restart.
 */
export function restoreSnapshot(
  options: SnapshotOptions,
): Promise<{ restored: string[]; restarted: string[]; reran: string[] }> {
  return callSupervisor(options, "snapshot-restore", snapshotParams(options), { start: true });
}

import type { SnapshotManifest } from "../snapshots/index.js";
import { type SnapshotOptions, snapshotParams } from "./support/snapshot-request.js";
import { callSupervisor } from "./support/supervisor-call.js";

/** `berth snapshot save <name> [codebase…]`: every claim's data and every declared data folder, checksummed. */
export function saveSnapshot(
  options: SnapshotOptions & { codebases?: readonly string[] },
): Promise<SnapshotManifest> {
  const params = { ...snapshotParams(options), codebases: [...(options.codebases ?? [])] };
  return callSupervisor(options, "snapshot-save", params, { start: true });
}

import type { SnapshotManifest } from "../snapshots/index.js";
import { ask, type SnapshotOptions } from "./support/snapshot-request.js";

/** `berth snapshot save <name> [codebase…]`: every claim's data and every declared data folder, checksummed. */
export function saveSnapshot(
  options: SnapshotOptions & { codebases?: readonly string[] },
): Promise<SnapshotManifest> {
  return ask(options, "snapshot-save", { codebases: options.codebases ?? [] });
}

import type { SnapshotParams } from "../../supervisor/index.js";
import type { WorkspaceOptions } from "./options.js";

export interface SnapshotOptions extends WorkspaceOptions {
  name: string;
  trustAll?: boolean;
}

/**
 * Saves and restores run in the supervisor: it holds the workspace and the servers already, and serialises
 * them with `up` and `down`, so no data is dumped or replaced while a command changes what runs.
 */
export function snapshotParams(options: SnapshotOptions): SnapshotParams {
  return { root: options.root, name: options.name, env: process.env, trustAll: options.trustAll ?? false };
}

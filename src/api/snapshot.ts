import type { SnapshotManifest } from "../snapshots/index.js";
import { SupervisorClient } from "../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

interface SnapshotOptions extends WorkspaceOptions {
  name: string;
  trustAll?: boolean;
}

/**
 * Saves and restores run in the supervisor: it holds the workspace and the servers already, and serialises
 * them with `up` and `down`, so no data is dumped or replaced while a command changes what runs.
 */
async function ask<T>(options: SnapshotOptions, method: string, params: Record<string, unknown>): Promise<T> {
  const client = await SupervisorClient.connect(homeOf(options), { start: true });
  if (!client) throw new Error("bug: the supervisor did not start");
  try {
    return await client.request<T>(method, {
      root: options.root,
      name: options.name,
      env: process.env,
      trustAll: options.trustAll ?? false,
      ...params,
    });
  } finally {
    client.close();
  }
}

/** `berth snapshot save <name> [codebase…]`: every claim's data and every declared data folder, checksummed. */
export function saveSnapshot(
  options: SnapshotOptions & { codebases?: readonly string[] },
): Promise<SnapshotManifest> {
  return ask(options, "snapshot-save", { codebases: options.codebases ?? [] });
}

/**
 * `berth snapshot restore <name>`: replaces the current data with the snapshot's exactly. The tasks'
 * cache takes the restored data as done (a later `up` does not seed over it); running processes restart.
 */
export function restoreSnapshot(
  options: SnapshotOptions,
): Promise<{ restored: string[]; restarted: string[]; reran: string[] }> {
  return ask(options, "snapshot-restore", {});
}

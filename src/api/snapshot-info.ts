import { readSnapshot, type SnapshotManifest } from "../snapshots/index.js";
import { type HomeOptions, homeOf } from "./support/options.js";

/** What a snapshot holds; a clear error when there is no snapshot of that name. */
export async function snapshotInfo(options: HomeOptions & { name: string }): Promise<SnapshotManifest> {
  options.signal?.throwIfAborted();
  return readSnapshot(homeOf(options), options.name).manifest;
}

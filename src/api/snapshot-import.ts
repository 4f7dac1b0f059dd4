import { importSnapshot as importStored, type SnapshotManifest } from "../snapshots/index.js";
import { type HomeOptions, homeOf, unlessAborted } from "./support/options.js";

/** `berth snapshot import <file> [name]`: adds a snapshot from an exported archive, verifying every checksum. */
export function importSnapshot(
  options: HomeOptions & { file: string; name?: string },
): Promise<SnapshotManifest> {
  return unlessAborted(options.signal, () => importStored(homeOf(options), options.file, options.name));
}

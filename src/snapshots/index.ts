export { type ClaimData, isEmpty } from "./dumps.js";
export { loadArchive } from "./load-archive.js";
export type { Refreshed } from "./refreshed.js";
export { restoreSnapshot, type SnapshotContext, saveSnapshot } from "./save-restore.js";
export {
  exportSnapshot,
  importSnapshot,
  listSnapshots,
  readSnapshot,
  removeSnapshot,
  type SnapshotManifest,
} from "./store.js";

export { ChangeBatcher } from "./change-batcher.js";
export { FolderWatcher, type FolderWatcherOptions, type WatchedInterest } from "./folder-watcher.js";
export type { Interest } from "./interest-matcher.js";
export type { WatchProblem } from "./watch-limit.js";

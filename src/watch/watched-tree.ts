import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import type { AlwaysIgnored } from "./always-ignored.js";
import { posixRelative } from "./always-ignored.js";
import type { InterestMatcher } from "./interest-matcher.js";

/**
 * A folder created while watching is read by chokidar before its OS watch is set; a file made in between has
 * no event. A second look this long after the folder appears catches it.
 */
const NEW_FOLDER_SECOND_LOOK_MS = 250;

export interface WatchedTreeEvents {
  /** A file (relative, posix) some interest wants was added, changed or removed. */
  changed(path: string): void;
  error(error: unknown): void;
}

/**
 * One chokidar instance over a folder, for one set of interests. Chokidar watches only the folders the
 * interests need (it would also set one OS watch per file: files are left out of it, their changes come from
 * the raw events of the folder that holds them), so a tree costs one inotify watch per needed folder.
 */
export class WatchedTree {
  readonly ready: Promise<void>;
  private readonly chokidar: FSWatcher;
  private isReady = false;
  /** Every folder seen, kept after removal: a removed path that was a folder is not reported as a file. */
  private readonly folders = new Set<string>();
  /** Files reported per folder created while watching, until its second look. */
  private readonly newFolders = new Map<string, Set<string>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Path → the folder whose watch saw it. */
  private queued = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly root: string,
    readonly matchers: InterestMatcher[],
    private readonly ignored: AlwaysIgnored,
    private readonly events: WatchedTreeEvents,
  ) {
    this.chokidar = watch(root, {
      followSymlinks: false,
      ignored: (path: string, stats?: Stats) => this.skips(path, stats),
    });
    this.ready = new Promise((resolve) =>
      this.chokidar.once("ready", () => {
        this.isReady = true;
        resolve();
      }),
    );
    this.chokidar.on("error", (error) => events.error(error));
    this.chokidar.on("addDir", (path) => this.folderAdded(path));
    this.chokidar.on("raw", (_event, name, details) => {
      const folder = (details as { watchedPath?: unknown }).watchedPath;
      if (typeof name === "string" && name !== "" && typeof folder === "string") this.queue(folder, name);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.chokidar.close();
  }

  /** Chokidar's `ignored`: files (handled from raw events) and the folders no interest needs. */
  private skips(path: string, stats: Stats | undefined): boolean {
    const relative = posixRelative(this.root, path);
    if (relative.startsWith("..")) return true;
    if (stats !== undefined && !stats.isDirectory()) return true;
    if (this.ignored.ignores(relative, stats === undefined ? undefined : true)) return true;
    return !this.matchers.some((matcher) => matcher.needsDir(relative));
  }

  private wanted(relative: string): boolean {
    if (relative.startsWith("..") || this.ignored.ignores(relative, false)) return false;
    return this.matchers.some((matcher) => matcher.wantsFile(relative));
  }

  private queue(folder: string, name: string): void {
    if (this.queued.size === 0) setImmediate(() => void this.settle());
    this.queued.set(join(folder, name), folder);
  }

  /** The raw events of a tick, one look per path: a folder is chokidar's, anything else is a changed file. */
  private async settle(): Promise<void> {
    const paths = this.queued;
    this.queued = new Map();
    await Promise.all(
      [...paths].map(async ([path, folder]) => {
        const relative = posixRelative(this.root, path);
        if (basename(path) === ".gitignore") this.ignored.forget(posixRelative(this.root, folder));
        if (!this.wanted(relative)) return;
        const exists = await stat(path).then(
          (stats) => (stats.isDirectory() ? "folder" : "file"),
          () => "gone",
        );
        if (exists === "folder") return;
        // A watched folder removed or moved away reports its own name as if a file in it went (`c/c` for `c`):
        // the removal of a file named as its folder is not told apart, and not reported.
        if (exists === "gone" && (this.folders.has(relative) || basename(path) === basename(folder))) return;
        this.report(relative);
      }),
    );
  }

  private report(relative: string): void {
    if (this.closed) return;
    const slash = relative.lastIndexOf("/");
    this.newFolders.get(slash === -1 ? "" : relative.slice(0, slash))?.add(relative);
    this.events.changed(relative);
  }

  private folderAdded(path: string): void {
    const relative = posixRelative(this.root, path);
    this.folders.add(relative);
    if (!this.isReady) return;
    this.newFolders.set(relative, new Set());
    void this.lookInto(path, relative);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.lookInto(path, relative).finally(() => this.newFolders.delete(relative));
    }, NEW_FOLDER_SECOND_LOOK_MS);
    this.timers.add(timer);
  }

  /** The files already in a folder created while watching: each reported once. */
  private async lookInto(path: string, relative: string): Promise<void> {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    const reported = this.newFolders.get(relative);
    for (const entry of entries) {
      if (entry.isDirectory()) continue;
      const file = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (reported?.has(file) || !this.wanted(file)) continue;
      this.report(file);
    }
  }
}

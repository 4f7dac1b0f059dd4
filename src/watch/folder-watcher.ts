import type { Stats } from "node:fs";
import { join } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import { AlwaysIgnored, posixRelative, realpathOr } from "./always-ignored.js";
import { type Interest, InterestMatcher } from "./interest-matcher.js";
import { TrailingCheck } from "./trailing-check.js";
import { isWatchLimit, type WatchProblem, watchLimitProblem } from "./watch-limit.js";

export interface FolderWatcherOptions {
  /** Absolute folders never watched (Berth's state and log folders, the codebase's data folders), inside `dir` or not. */
  ignoreDirs: string[];
}

/** What is watched for one interest, for `berth watch`. */
export interface WatchedInterest {
  id: string;
  globs: string[];
  ignore: string[];
  /** Absolute base paths the globs need (a folder, or a file for a glob without magic). */
  paths: string[];
}

interface Generation {
  key: string;
  matchers: InterestMatcher[];
  chokidar: FSWatcher;
  trailing: TrailingCheck;
  ready: Promise<void>;
}

/**
 * Watches one folder for all the interests in it, with one chokidar instance: only the folders the globs
 * need get an OS watch, and never `.git/`, `node_modules/`, the ignored folders or what `.gitignore` excludes.
 * `onChange` hears, per interest, the files (relative to `dir`, posix, deduplicated) added, changed or removed;
 * a removed folder is reported as the watched files it held.
 */
export class FolderWatcher {
  private readonly root: string;
  private readonly ignored: AlwaysIgnored;
  private current: Generation | undefined;
  private pending = new Map<string, Set<string>>();
  private flushScheduled = false;
  private readonly problemsSaid = new Set<string>();
  private closed = false;

  constructor(
    readonly dir: string,
    options: FolderWatcherOptions,
    private readonly onChange: (id: string, files: string[]) => void,
    private readonly onProblem: (problem: WatchProblem) => void,
  ) {
    // A linked checkout may be a symlink; symlinks inside are not followed, so nothing outside `dir` is watched.
    this.root = realpathOr(dir);
    this.ignored = new AlwaysIgnored(this.root, options.ignoreDirs);
  }

  /**
   * Replaces the interests and resolves once the initial scan is done. The same interests again cost nothing;
   * changed ones get a fresh scan, the old watcher serving until the new one is ready.
   */
  async set(interests: Interest[]): Promise<void> {
    if (this.closed) return;
    const key = JSON.stringify(interests.map(({ id, globs, ignore }) => [id, globs, ignore ?? []]));
    if (this.current?.key === key) return this.current.ready;
    const next = this.start(
      key,
      interests.map((interest) => new InterestMatcher(interest)),
    );
    const previous = this.current;
    this.current = next;
    await next.ready;
    await stop(previous);
  }

  describe(): WatchedInterest[] {
    return (this.current?.matchers ?? []).map((matcher) => ({
      id: matcher.interest.id,
      globs: [...matcher.interest.globs],
      ignore: [...(matcher.interest.ignore ?? [])],
      paths: [...new Set(matcher.bases.map(({ base }) => (base === "" ? this.dir : join(this.dir, base))))],
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    await stop(current);
  }

  private start(key: string, matchers: InterestMatcher[]): Generation {
    const chokidar = watch(this.root, {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path: string, stats?: Stats) => this.skips(matchers, path, stats),
    });
    const generation: Generation = {
      key,
      matchers,
      chokidar,
      trailing: new TrailingCheck((path) => {
        if (this.current === generation) this.changed(matchers, path);
      }),
      ready: new Promise((resolve) => chokidar.once("ready", () => resolve())),
    };
    chokidar.on("error", (error) => this.problem(error));
    chokidar.on("all", (event, path, stats) => {
      if (this.current !== generation) return;
      if (event === "add" || event === "change" || event === "unlink") this.changed(matchers, path);
      if (event === "add" || event === "change") generation.trailing.saw(path, stats);
    });
    return generation;
  }

  /** Chokidar's `ignored`: cuts off folders no interest needs and files no interest wants, so they get no watch. */
  private skips(matchers: InterestMatcher[], path: string, stats: Stats | undefined): boolean {
    const relative = posixRelative(this.root, path);
    if (relative.startsWith("..")) return true;
    const isDir = stats === undefined ? undefined : stats.isDirectory();
    if (this.ignored.ignores(relative, isDir)) return true;
    if (isDir === true) return !matchers.some((matcher) => matcher.needsDir(relative));
    if (isDir === false) return !matchers.some((matcher) => matcher.wantsFile(relative));
    return !matchers.some((matcher) => matcher.needsDir(relative) || matcher.wantsFile(relative));
  }

  private changed(matchers: InterestMatcher[], path: string): void {
    const relative = posixRelative(this.root, path);
    if (this.ignored.ignores(relative, false)) return;
    for (const matcher of matchers) {
      if (!matcher.wantsFile(relative)) continue;
      const files = this.pending.get(matcher.interest.id) ?? new Set();
      files.add(relative);
      this.pending.set(matcher.interest.id, files);
    }
    if (this.pending.size === 0 || this.flushScheduled) return;
    this.flushScheduled = true;
    // The events of one save (unlink and add of an atomic rename, a folder's files) arrive within a tick or two.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    if (this.closed) return;
    for (const [id, files] of pending) this.onChange(id, [...files].sort());
  }

  private problem(error: unknown): void {
    const problem = isWatchLimit(error)
      ? watchLimitProblem(this.dir, error)
      : { message: `Watching ${this.dir} failed: ${error instanceof Error ? error.message : String(error)}` };
    const said = isWatchLimit(error) ? `limit:${(error as { code: string }).code}` : problem.message;
    if (this.problemsSaid.has(said)) return;
    this.problemsSaid.add(said);
    this.onProblem(problem);
  }
}

async function stop(generation: Generation | undefined): Promise<void> {
  generation?.trailing.close();
  await generation?.chokidar.close();
}

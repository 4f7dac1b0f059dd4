import { join } from "node:path";
import { AlwaysIgnored, realpathOr } from "./always-ignored.js";
import { type Interest, InterestMatcher } from "./interest-matcher.js";
import { isWatchLimit, type WatchProblem, watchLimitProblem } from "./watch-limit.js";
import { WatchedTree } from "./watched-tree.js";

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

/**
 * Watches one folder for all the interests in it, with one chokidar instance: only the folders the globs
 * need get an OS watch, and never `.git/`, `node_modules/`, the ignored folders or what `.gitignore` excludes.
 * `onChange` hears, per interest, the files (relative to `dir`, posix, deduplicated) added, changed or removed;
 * a removed folder is reported as the watched files it held.
 */
export class FolderWatcher {
  private readonly root: string;
  private readonly ignored: AlwaysIgnored;
  private current: { key: string; tree: WatchedTree } | undefined;
  private pending = new Map<string, Set<string>>();
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
    if (this.current?.key === key) return this.current.tree.ready;
    const previous = this.current;
    const matchers = interests.map((interest) => new InterestMatcher(interest));
    const tree: WatchedTree = new WatchedTree(this.root, matchers, this.ignored, {
      changed: (path) => this.changed(tree, path),
      error: (error) => this.problem(error),
    });
    this.current = { key, tree };
    await tree.ready;
    await previous?.tree.close();
  }

  describe(): WatchedInterest[] {
    return (this.current?.tree.matchers ?? []).map((matcher) => ({
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
    await current?.tree.close();
  }

  private changed(tree: WatchedTree, path: string): void {
    // Until a new tree is ready the old one serves, with the interests of the new one.
    const matchers = this.current?.tree.matchers ?? tree.matchers;
    if (this.pending.size === 0) setImmediate(() => this.flush());
    for (const matcher of matchers) {
      if (!matcher.wantsFile(path)) continue;
      const files = this.pending.get(matcher.interest.id) ?? new Set();
      files.add(path);
      this.pending.set(matcher.interest.id, files);
    }
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = new Map();
    if (this.closed) return;
    for (const [id, files] of pending) this.onChange(id, [...files].sort());
  }

  private problem(error: unknown): void {
    const limit = isWatchLimit(error);
    const problem = limit
      ? watchLimitProblem(this.dir, error)
      : { message: `Watching ${this.dir} failed: ${error instanceof Error ? error.message : String(error)}` };
    const said = limit ? `limit:${(error as { code: string }).code}` : problem.message;
    if (this.problemsSaid.has(said)) return;
    this.problemsSaid.add(said);
    this.onProblem(problem);
  }
}

import { readFileSync, realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";

const neverWatched = new Set([".git", "node_modules"]);

/**
 * What is never watched in a folder: `.git/` and `node_modules/` at any depth, the given folders, and what the
 * folder's `.gitignore` files (the root's and nested ones) exclude. A `.gitignore` is read the first time
 * its folder is seen, and again after `forget()` (an edit of it).
 */
export class AlwaysIgnored {
  private readonly ignoredDirs: string[];
  private readonly gitignores = new Map<string, Ignore | undefined>();

  constructor(
    private readonly root: string,
    ignoreDirs: string[],
  ) {
    this.ignoredDirs = ignoreDirs.flatMap((dir) => {
      const path = posixRelative(root, realpathOr(dir));
      return path === "" || path.startsWith("..") || path.startsWith("/") ? [] : [path];
    });
  }

  /** `path` relative to the root, posix; `isDir` undefined when not known (folder-only rules then do not apply). */
  ignores(path: string, isDir: boolean | undefined): boolean {
    if (path === "") return false;
    const parts = path.split("/");
    if (parts.some((part) => neverWatched.has(part))) return true;
    if (this.ignoredDirs.some((dir) => path === dir || path.startsWith(`${dir}/`))) return true;
    for (let depth = 0; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      const rules = this.gitignore(folder);
      if (rules === undefined) continue;
      const below = parts.slice(depth).join("/");
      if (rules.ignores(below)) return true;
      if (isDir === true && rules.ignores(`${below}/`)) return true;
    }
    return false;
  }

  /** The `.gitignore` of `folder` (relative, posix) changed: read it again when next needed. */
  forget(folder: string): void {
    this.gitignores.delete(folder);
  }

  private gitignore(folder: string): Ignore | undefined {
    if (this.gitignores.has(folder)) return this.gitignores.get(folder);
    let rules: Ignore | undefined;
    try {
      const file = folder === "" ? `${this.root}/.gitignore` : `${this.root}/${folder}/.gitignore`;
      rules = ignore().add(readFileSync(file, "utf8"));
    } catch {
      rules = undefined;
    }
    this.gitignores.set(folder, rules);
    return rules;
  }
}

export function posixRelative(from: string, to: string): string {
  const path = relative(from, to);
  return sep === "/" ? path : path.split(sep).join("/");
}

export function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

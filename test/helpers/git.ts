import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const identity = [
  "-c",
  "user.name=Berth Test",
  "-c",
  "user.email=test@berth.invalid",
  "-c",
  "init.defaultBranch=main",
];

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", [...identity, "-C", dir, ...args], { encoding: "utf8" }).trim();
}

/** Writes files into a repository and commits them; returns the new commit. */
export function commit(dir: string, files: Record<string, string>, message = "change"): string {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

export function initRepo(dir: string): void {
  execFileSync("git", [...identity, "init", "--quiet", dir]);
}

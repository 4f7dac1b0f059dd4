import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { BerthError } from "../errors/index.js";
import { ensurePrivateDir, moveIntoPlace } from "../state/index.js";

const run = promisify(execFile);

/**
 * Git codebases are fetched once into a mirror under `$BERTH_HOME/git/repos`, and each pinned commit is
 * checked out once into `$BERTH_HOME/git/checkouts`, shared by every workspace that pins it.
 */
export class GitCache {
  readonly #root: string;
  /** Ends a clone or fetch under way (git is killed) and any git command after it. */
  readonly #signal: AbortSignal | undefined;

  constructor(home: string, signal?: AbortSignal) {
    this.#root = join(home, "git");
    this.#signal = signal;
  }

  /** The commit `ref` names now (fetching first); `ref` defaults to the remote's HEAD. */
  async resolve(url: string, ref: string | undefined): Promise<string> {
    const mirror = await this.#mirror(url, { fetch: true });
    const name = ref ?? "HEAD";
    try {
      const { stdout } = await run(
        "git",
        ["--git-dir", mirror, "rev-parse", "--verify", "--quiet", `${name}^{commit}`],
        { signal: this.#signal },
      );
      return stdout.trim();
    } catch (error) {
      throwIfCancelled(this.#signal, url);
      throw new BerthError("BERTH_GIT_REF", `${url} has no branch, tag or commit \`${name}\``, {
        hint: "check `ref:` in the requirement",
        cause: error,
      });
    }
  }

  /** A folder holding the files of `commit`, checked out once and reused. */
  async checkout(url: string, commit: string): Promise<string> {
    const dir = join(this.#root, "checkouts", `${key(url)}-${commit.slice(0, 12)}`);
    if (existsSync(dir)) return dir;
    let mirror = await this.#mirror(url, { fetch: false });
    if (!(await hasCommit(mirror, commit, this.#signal))) mirror = await this.#mirror(url, { fetch: true });
    if (!(await hasCommit(mirror, commit, this.#signal))) {
      throw new BerthError("BERTH_GIT_COMMIT", `${url} has no commit ${commit} (pinned in berth.lock)`, {
        hint: "the commit may have been rewritten away; run `berth update` to pin the ref again",
      });
    }
    const temporary = `${dir}.${process.pid}.tmp`;
    rmSync(temporary, { recursive: true, force: true });
    await git(["clone", "--quiet", "--shared", "--no-checkout", mirror, temporary], url, this.#signal);
    await git(["-C", temporary, "checkout", "--quiet", "--detach", commit], url, this.#signal);
    moveIntoPlace(temporary, dir);
    return dir;
  }

  async #mirror(url: string, options: { fetch: boolean }): Promise<string> {
    const mirror = join(ensurePrivateDir(join(this.#root, "repos")), `${key(url)}.git`);
    ensurePrivateDir(join(this.#root, "checkouts"));
    if (!existsSync(mirror)) {
      const temporary = `${mirror}.${process.pid}.tmp`;
      rmSync(temporary, { recursive: true, force: true });
      await git(["clone", "--quiet", "--mirror", url, temporary], url, this.#signal);
      moveIntoPlace(temporary, mirror);
    } else if (options.fetch) {
      await git(["--git-dir", mirror, "fetch", "--quiet", "--prune", "origin"], url, this.#signal);
    }
    return mirror;
  }
}

function key(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 16);
}

async function hasCommit(mirror: string, commit: string, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await run("git", ["--git-dir", mirror, "cat-file", "-e", `${commit}^{commit}`], { signal });
    return true;
  } catch {
    throwIfCancelled(signal, mirror);
    return false;
  }
}

async function git(args: string[], url: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await run("git", args, { env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }, signal });
  } catch (error) {
    throwIfCancelled(signal, url);
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new BerthError(
      "BERTH_GIT",
      `git failed for ${url}: ${stderr.split("\n").at(-1) ?? "unknown error"}`,
      {
        hint: "check the URL and that you can clone it with `git clone`",
        cause: error,
      },
    );
  }
}

function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new BerthError("BERTH_CANCELLED", `cancelled while git worked on ${what}`);
}

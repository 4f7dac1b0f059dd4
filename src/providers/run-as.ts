import { execFileSync } from "node:child_process";
import { BerthError } from "../errors/index.js";
import type { RunAs } from "./types.js";
import { onPath } from "./which.js";

const ACCOUNT = "berth";

/**
 * PostgreSQL and MariaDB refuse to run as root. When Berth runs as root (CI, containers), servers run as
 * a system account `berth`, created on first need, which owns their data folders.
 */
export function runAsFor(account = ACCOUNT): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    const uid = Number(execFileSync("id", ["-u", account], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", account], { encoding: "utf8" }).trim());
    return { uid, gid, name: account };
  };
  try {
    return lookup();
  } catch {
    // not there yet: made below
  }
  try {
    createAccount(account);
  } catch (error) {
    throw new BerthError(
      "BERTH_RUN_AS",
      "running as root, Berth needs a system account to run database servers, and could not create one",
      { hint: `create it: useradd --system --no-create-home ${account}`, cause: error },
    );
  }
  return lookup();
}

const USERADD = "useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin";

/**
 * `useradd`s run at once lose each other's writes to /etc/passwd: two supervisors' first servers at the same
 * moment made the account twice, with two uids, one of them gone. Berth's own are one at a time, under a lock
 * of /etc/passwd (`flock`), each checking again once it holds it.
 */
function createAccount(account: string): void {
  const command = ["sh", "-c", `id -u "$1" >/dev/null 2>&1 || exec ${USERADD} "$1"`, "sh", account];
  const [file = "sh", ...args] = onPath("flock") ? ["flock", "/etc/passwd", ...command] : command;
  execFileSync(file, args, { stdio: "ignore" });
}

/** Gives a folder tree to the account (no-op when not root). */
export function giveTo(dir: string, runAs: RunAs | undefined): void {
  if (runAs) execFileSync("chown", ["-R", `${runAs.uid}:${runAs.gid}`, dir]);
}

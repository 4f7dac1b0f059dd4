import { execFileSync } from "node:child_process";
import { BerthError } from "../errors/index.js";
import type { RunAs } from "./types.js";

const ACCOUNT = "berth";

/**
 * PostgreSQL and MariaDB refuse to run as root. When Berth runs as root (CI, containers), servers run as
 * a system account `berth`, created on first need, which owns their data folders.
 */
export function runAsFor(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    const uid = Number(execFileSync("id", ["-u", ACCOUNT], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", ACCOUNT], { encoding: "utf8" }).trim());
    return { uid, gid, name: ACCOUNT };
  };
  try {
    return lookup();
  } catch {
    try {
      execFileSync(
        "useradd",
        [
          "--system",
          "--no-create-home",
          "--home-dir",
          "/nonexistent",
          "--shell",
          "/usr/sbin/nologin",
          ACCOUNT,
        ],
        { stdio: "ignore" },
      );
    } catch (error) {
      throw new BerthError(
        "BERTH_RUN_AS",
        "running as root, Berth needs a system account to run database servers, and could not create one",
        {
          hint: `create it: useradd --system --no-create-home ${ACCOUNT}`,
          cause: error,
        },
      );
    }
    return lookup();
  }
}

/** Gives a folder tree to the account (no-op when not root). */
export function giveTo(dir: string, runAs: RunAs | undefined): void {
  if (runAs) execFileSync("chown", ["-R", `${runAs.uid}:${runAs.gid}`, dir]);
}

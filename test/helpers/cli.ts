import { spawnSync } from "node:child_process";
import { join } from "node:path";

const bin = join(import.meta.dirname, "..", "..", "bin", "berth.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `berth` CLI as a user would, with its own state folder. */
export function berth(
  args: string[],
  options: { cwd: string; home: string; env?: Record<string, string> },
): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      BERTH_HOME: options.home,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      BERTH_TRUST: "",
      ...options.env,
    },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { ProcessStatus } from "../../src/index.js";
import { berth, type CliResult } from "./cli.js";
import { tempDir } from "./temp.js";
import { writeTree } from "./workspace.js";

export const programs = join(import.meta.dirname, "..", "fixtures", "programs");
const bin = join(import.meta.dirname, "..", "..", "bin", "berth.js");
const homes: string[] = [];

afterEach(() => {
  for (const home of homes.splice(0)) {
    berth(["down", "--all"], { cwd: home, home });
    const pidFile = join(home, "supervisor.pid");
    if (existsSync(pidFile)) killQuietly(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    // Servers' data lives outside the state folder when they run as the `berth` account (tests as root).
    rmSync(join("/var/lib/berth", createHash("sha256").update(home).digest("hex").slice(0, 12)), {
      recursive: true,
      force: true,
    });
  }
});

/** A workspace written to a temporary folder, with its own state folder; torn down after the test. */
export function runtimeWorkspace(files: Record<string, string>) {
  const dir = writeTree(files);
  const home = join(tempDir(), "state");
  homes.push(home);
  const run = (args: string[], cwd = "web", env: Record<string, string> = {}): CliResult =>
    berth(args, { cwd: join(dir, cwd), home, env: { BERTH_TRUST: "1", ...env } });
  return { dir, home, run };
}

/** Starts the CLI without waiting for it, for attached `up` and `logs -f`. */
export function spawnBerth(
  args: string[],
  options: { cwd: string; home: string; env?: Record<string, string> },
): ChildProcess & { output(): string } {
  let output = "";
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: {
      ...process.env,
      BERTH_HOME: options.home,
      BERTH_TRUST: "1",
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return Object.assign(child, { output: () => output });
}

export async function until(condition: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Every pid whose process group is `pgid` (Linux /proc). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

export function status(run: (args: string[], cwd?: string) => CliResult, cwd?: string): ProcessStatus[] {
  const result = run(["status", "--json"], cwd);
  if (result.code !== 0) throw new Error(`status failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ProcessStatus[];
}

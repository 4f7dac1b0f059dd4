import { readdirSync, readFileSync } from "node:fs";
import { startTime } from "../processes/index.js";

/**
 * Supervisors of the same state folder started before this one, found by their command line (Linux
 * /proc): one whose socket was removed with its state folder still runs, and nothing can reach it.
 */
export function olderSupervisors(home: string): number[] {
  const mine = startTime(process.pid) ?? 0;
  const older: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      continue;
    }
    if (argv.at(-1) !== home || !argv.some((arg) => /supervisor(-main)?\.js$/.test(arg))) continue;
    const started = startTime(pid) ?? 0;
    if (started < mine || (started === mine && pid < process.pid)) older.push(pid);
  }
  return older;
}

/** Asks each older supervisor to stop what it runs and exit (SIGTERM), and waits until they have. */
export async function retireOlderSupervisors(home: string, timeoutMs = 20_000): Promise<number[]> {
  const older = olderSupervisors(home);
  for (const pid of older) signal(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (older.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of older) if (alive(pid)) signal(pid, "SIGKILL");
  return older;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

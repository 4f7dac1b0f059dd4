import { processAlive, processTable, startTime } from "../processes/index.js";

/**
 * Supervisors of the same state folder started before this one, found by their command line: one whose socket was removed with its state folder still runs, and nothing can reach it.
 */
export function olderSupervisors(home: string): number[] {
  const mine = startTime(process.pid) ?? 0;
  const older: number[] = [];
  for (const { pid, command } of processTable()) {
    if (pid === process.pid || !command.endsWith(` ${home}`)) continue;
    if (!command.split(" ").some((arg) => /supervisor(-main)?\.js$/.test(arg))) continue;
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
  while (older.some(processAlive) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of older) if (processAlive(pid)) signal(pid, "SIGKILL");
  return older;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

import { existsSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { BerthError } from "../errors/index.js";
import type { SupervisedProcess } from "../processes/index.js";
import { portHolder, processAlive, processTable } from "../processes/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "./implementations.js";
import type { ServerRecord } from "./servers.js";

/**
 * A server of this record that Berth does not run now: started by a supervisor that was killed with its
 * guardian, or whose state folder was removed. It holds the data folder's lock and the port. Found by a
 * command line naming the data folder (postgres -D, mariadbd --datadir), or as the program on the port.
 */
export function leftoverServer(record: ServerRecord): { pid: number; command: string } | undefined {
  return dataFolderHolder(record) ?? serverOnPort(record);
}

/**
 * `leftoverServer` where the port is known to be free: the command lines alone (finding the port's holder
 * reads every connection of the machine, thousands while probes leave theirs in TIME_WAIT). Only servers
 * named by their data folder keep a lock file in it while they run (PostgreSQL, MariaDB; Redis rewrites
 * its command line): with no lock file there, no command line needs reading.
 */
export function dataFolderHolder(record: ServerRecord): { pid: number; command: string } | undefined {
  const lockFile = PROVIDER_IMPLEMENTATIONS[record.kind].lockFile;
  if (lockFile === undefined || !existsSync(join(record.dataDir, lockFile))) return undefined;
  for (const entry of processTable()) {
    const argv = entry.command.split(" ");
    if (argv.some((arg) => arg === record.dataDir || arg.endsWith(`=${record.dataDir}`)))
      return { pid: entry.pid, command: argv.join(" ") };
  }
  return undefined;
}

function serverOnPort(record: ServerRecord): { pid: number; command: string } | undefined {
  const holder = portHolder(record.port);
  if (
    holder &&
    PROVIDER_IMPLEMENTATIONS[record.kind].program.test(basename(holder.command.split(" ")[0] ?? ""))
  )
    return holder;
  return undefined;
}

/** The lock files servers keep in their data folder, naming their pid on the first line. */
export const LOCK_FILES = Object.values(PROVIDER_IMPLEMENTATIONS).flatMap((provider) =>
  provider.lockFile ? [provider.lockFile] : [],
);

/** The pid a lock file names, if the file is there. */
export function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes the lock files of a server that is gone. The server would do so itself, but it takes a zombie
 * (a killed server not yet reaped, as happens in containers whose first process reaps nothing) for alive.
 */
export function clearStaleLocks(dataDir: string): void {
  for (const name of LOCK_FILES) {
    const file = join(dataDir, name);
    const pid = lockHolder(file);
    if (pid !== undefined && !processAlive(pid)) rmSync(file, { force: true });
  }
}

/** Stops a leftover server (SIGTERM, SIGKILL after `graceMs`) so that this one can have its data. */
export async function stopLeftover(pid: number, graceMs = 15_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  signal(pid, "SIGTERM");
  while (processAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (processAlive(pid)) signal(pid, "SIGKILL");
}

/** The port kept for a server is another program's: said, with who holds it. */
export function portTakenBy(record: ServerRecord): BerthError | undefined {
  const holder = portHolder(record.port);
  if (!holder) return undefined;
  return new BerthError(
    "BERTH_SERVER_PORT_TAKEN",
    `${record.key} cannot start: its port ${record.port} is taken by pid ${holder.pid} (${holder.command})`,
    { hint: `stop that program (kill ${holder.pid}), then run the command again` },
  );
}

/** A server that exited instead of answering: its own last words, and where to look. */
export function serverFailed(record: ServerRecord, process: SupervisedProcess, error: unknown): BerthError {
  const lines = process.lastLines().slice(-12);
  const reason = error instanceof Error ? error.message : String(error);
  return new BerthError(
    "BERTH_SERVER_FAILED",
    `${record.key} did not start (${reason})${lines.length > 0 ? `; its last lines:\n${lines.map((line) => `  ${line}`).join("\n")}` : ""}`,
    {
      hint: `its data folder is ${record.dataDir}; \`berth doctor\` finds leftover servers, stale locks and taken ports`,
    },
  );
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { readJsonFile, writeJsonFile } from "../state/index.js";
import { groupAlive } from "./process-table.js";
import { system } from "./system.js";

/**
 * The process groups the supervisor runs, written to the state folder as they start and end. The
 * guardian stops them when the supervisor dies; when both die at once (SIGKILL to both), the next
 * supervisor reads this list and stops what is left, so that servers release their data folders and ports
 * and nothing runs twice. A group is known by its leader's pid and start time: a recycled pid is not ours.
 */
export class GroupList {
  readonly #file: string;
  readonly #groups = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #due = Number.POSITIVE_INFINITY;

  constructor(home: string) {
    this.#file = groupsFile(home);
  }

  /** Listed at the next turn of the event loop: an `up` starting many processes at once writes once. */
  add(pgid: number): void {
    const started = startTime(pgid);
    if (started === undefined) return;
    this.#groups.set(pgid, started);
    this.#save(0);
  }

  /**
   * Unlisted within GONE_WITHIN_MS: a `down` sees its processes end one by one, and each write is a rename a
   * busy disk makes the supervisor wait for. A group listed a little longer than it lives is harmless: the
   * next supervisor checks each one's start time before it stops anything.
   */
  delete(pgid: number): void {
    if (this.#groups.delete(pgid)) this.#save(GONE_WITHIN_MS);
  }

  #save(withinMs: number): void {
    const due = Date.now() + withinMs;
    if (this.#timer && this.#due <= due) return;
    clearTimeout(this.#timer);
    this.#due = due;
    this.#timer = setTimeout(() => this.#write(), withinMs);
  }

  #write(): void {
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
    // A state folder removed under a running supervisor is not made again by this list.
    if (!existsSync(dirname(this.#file))) return;
    try {
      writeJsonFile(this.#file, Object.fromEntries(this.#groups));
    } catch {
      // The list is a fallback for the guardian; a full disk must not stop the supervisor.
    }
  }
}

const GONE_WITHIN_MS = 50;

const groupsFile = (home: string) => join(home, "process-groups.json");

/**
 * Stops the groups a dead supervisor left running (SIGTERM, then SIGKILL after `graceMs`); resolves to
 * how many there were. Called by a new supervisor before it serves anything.
 */
export async function stopLeftoverGroups(home: string, graceMs = 10_000): Promise<number> {
  const file = groupsFile(home);
  const listed = readJsonFile<Record<string, number>>(file, {});
  const left = Object.entries(listed)
    .map(([pgid, started]) => ({ pgid: Number(pgid), started }))
    .filter(({ pgid, started }) => groupAlive(pgid) && startTime(pgid) === started);
  for (const { pgid } of left) signal(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (left.some(({ pgid }) => groupAlive(pgid)) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  for (const { pgid } of left) if (groupAlive(pgid)) signal(pgid, "SIGKILL");
  rmSync(file, { force: true });
  return left.length;
}

/** When a process started (clock ticks since boot from /proc, seconds from `ps`); undefined where it cannot be read. */
export function startTime(pid: number): number | undefined {
  return system.startTime(pid);
}

function signal(pgid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pgid, name);
  } catch {
    // gone meanwhile
  }
}

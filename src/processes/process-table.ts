import { type ProcEntry, system } from "./system.js";

export type { ProcEntry } from "./system.js";

/** Every process on the machine (this user's only, where the system hides others); empty where none can be read. */
export function processTable(): ProcEntry[] {
  return system.processTable();
}

/** Whether a process lives: a zombie awaiting its reaper (a killed supervisor's child, reparented) does not. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = system.stat(pid);
  return stat !== undefined && stat.state !== "Z";
}

/** Whether a process group still has a living member: zombies awaiting a reaper do not count. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  const table = processTable();
  if (table.length === 0) return true;
  return table.some((entry) => entry.pgrp === pgid && entry.state !== "Z");
}

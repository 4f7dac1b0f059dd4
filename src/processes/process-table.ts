import { type ProcEntry, system } from "./system.js";

export type { ProcEntry } from "./system.js";

/** Every process on the machine (this user's only, where the system hides others); empty where none can be read. */
export function processTable(): ProcEntry[] {
  return system.processTable();
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

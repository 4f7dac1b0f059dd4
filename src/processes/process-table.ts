import { readdirSync, readFileSync } from "node:fs";

const PAGE = 4096;

export interface ProcEntry {
  pid: number;
  pgrp: number;
  state: string;
  rssBytes: number;
  /** CPU time used so far, user and system, in clock ticks (utime + stime). */
  cpuTicks: number;
}

/** Every process on the machine as /proc tells it (Linux); empty where there is no /proc. */
export function processTable(): ProcEntry[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const table: ProcEntry[] = [];
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // After the command name (which may hold spaces and parentheses) the fields are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    table.push({
      pid: Number(entry),
      state: fields[0] ?? "",
      pgrp: Number(fields[2]),
      rssBytes: Number(fields[21]) * PAGE,
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return table;
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

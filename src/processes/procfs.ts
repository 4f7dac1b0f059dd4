import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { exposedSocketsProcfs } from "./exposure-procfs.js";
import { INSTANCE_VAR } from "./marker.js";
import type { MarkedProcess, ProcEntry, ProcessSystem, ProcStat } from "./system-types.js";

const PAGE = 4096;
const NAME = Buffer.from(`${INSTANCE_VAR}=`);
const NEEDLE = Buffer.from(`\0${INSTANCE_VAR}=`);

/** Linux: everything read from /proc, no process started. */
export const procfs: ProcessSystem = {
  processTable,
  stat,
  startTime,
  commandLine,
  markerOf,
  markedProcesses,
  listenerOf,
  exposedSockets: exposedSocketsProcfs,
};

function processTable(): ProcEntry[] {
  const table: ProcEntry[] = [];
  for (const entry of pids()) {
    const fields = statFields(entry);
    if (!fields) continue;
    table.push({
      pid: entry,
      state: fields[0] ?? "",
      pgrp: Number(fields[2]),
      rssBytes: Number(fields[21]) * PAGE,
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      // Read only by the callers that want it: most of the table is never asked.
      get command() {
        return commandLine(entry);
      },
    });
  }
  return table;
}

function stat(pid: number): ProcStat | undefined {
  const fields = statFields(pid);
  return fields ? { state: fields[0] ?? "", pgrp: Number(fields[2]) } : undefined;
}

/** In clock ticks since boot. */
function startTime(pid: number): number | undefined {
  const value = Number(statFields(pid)?.[19]);
  return Number.isFinite(value) ? value : undefined;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "?";
  }
}

function markerOf(pid: number): string | undefined {
  let environ: Buffer;
  try {
    environ = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return undefined;
  }
  // A variable's name starts the buffer or follows a \0: a value that merely contains it does not count.
  const found = environ.subarray(0, NAME.length).equals(NAME) ? 0 : environ.indexOf(NEEDLE);
  if (found === -1) return undefined;
  const start = found === 0 && environ[0] !== 0 ? NAME.length : found + NEEDLE.length;
  const end = environ.indexOf(0, start);
  return environ.toString("utf8", start, end === -1 ? environ.length : end);
}

function markedProcesses(): MarkedProcess[] {
  const marked: MarkedProcess[] = [];
  for (const pid of pids()) {
    const marker = markerOf(pid);
    if (marker === undefined) continue;
    const found = stat(pid);
    if (found) marked.push({ pid, marker, ...found });
  }
  return marked;
}

function listenerOf(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const [local, state, inode] = ((fields) => [fields[1], fields[3], fields[9]])(line.trim().split(/\s+/));
      if (!local || state !== "0A" || !inode) continue;
      if (Number.parseInt(local.split(":")[1] ?? "", 16) === port) inodes.add(inode);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of pids()) for (const inode of socketInodes(pid)) if (inodes.has(inode)) return pid;
  return undefined;
}

/** The socket inodes a process holds open. */
export function socketInodes(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith("socket:[")) inodes.push(target.slice(8, -1));
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** Every process id in /proc. */
export function pids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.charCodeAt(0) <= 57).map(Number);
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

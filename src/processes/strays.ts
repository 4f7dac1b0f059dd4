import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

/**
 * Set in the environment of every supervised process, and so inherited by every descendant, even one that
 * left the process group (`setsid cmd &`, a double fork): what it carries tells whose it is.
 */
export const INSTANCE_VAR = "BERTH_INSTANCE";

/** Starts every instance marker of this supervisor: the guardian finds them all by it if the supervisor dies. */
export const SUPERVISOR_MARK = randomBytes(6).toString("hex");

/** A new instance marker of this supervisor. */
export function newInstance(): string {
  return `${SUPERVISOR_MARK}-${randomBytes(9).toString("hex")}`;
}
const NAME = Buffer.from(`${INSTANCE_VAR}=`);
const NEEDLE = Buffer.from(`\0${INSTANCE_VAR}=`);

/**
 * The processes, outside their instance's own process group, that carry one of these instances' markers:
 * one pass over /proc for all of them (Linux; empty elsewhere, and for other users' processes, which
 * cannot be read). `instances` maps each marker to the group that a group signal already reaches.
 */
export function findStrays(instances: ReadonlyMap<string, number | undefined>): Map<string, number[]> {
  const strays = new Map<string, number[]>();
  if (instances.size === 0) return strays;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return strays;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue;
    const pid = Number(entry);
    const marker = markerOf(pid);
    if (marker === undefined || !instances.has(marker)) continue;
    const stat = statOf(pid);
    if (!stat || stat.state === "Z" || stat.pgrp === instances.get(marker)) continue;
    strays.set(marker, [...(strays.get(marker) ?? []), pid]);
  }
  return strays;
}

/** SIGTERM to each; SIGKILL after `graceMs` to those still alive and still carrying `marker` (pids recycle). */
export async function stopStrays(pids: readonly number[], marker: string, graceMs: number): Promise<void> {
  if (pids.length === 0) return;
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  let pause = 1;
  let left = pids.filter(living);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))));
    pause = Math.min(pause * 2, 20);
    left = left.filter(living);
  }
  for (const pid of left) if (markerOf(pid) === marker) signal(pid, "SIGKILL");
}

export function markerOf(pid: number): string | undefined {
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

export function statOf(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function living(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== "Z";
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

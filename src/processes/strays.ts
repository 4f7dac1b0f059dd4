import { system } from "./system.js";

export { INSTANCE_VAR, newInstance, SUPERVISOR_MARK } from "./marker.js";

/**
 * The processes, outside their instance's own process group, that carry one of these instances' markers:
 * one pass for all of them (none for processes whose environment this user cannot read). `instances` maps each marker to the group that a group signal already reaches.
 */
export function findStrays(instances: ReadonlyMap<string, number | undefined>): Map<string, number[]> {
  const strays = new Map<string, number[]>();
  if (instances.size === 0) return strays;
  for (const { pid, marker, state, pgrp } of system.markedProcesses()) {
    if (!instances.has(marker) || state === "Z" || pgrp === instances.get(marker)) continue;
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
  for (const pid of left) if (system.markerOf(pid) === marker) signal(pid, "SIGKILL");
}

function living(pid: number): boolean {
  const stat = system.stat(pid);
  return stat !== undefined && stat.state !== "Z";
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

import { system } from "./system.js";

// The message lives with the `exposed` event in logs/: the CLI shows it without loading processes/.
export { exposureWarning } from "../logs/index.js";

/**
 * Where these processes listen beyond loopback (`0.0.0.0:4100`, `[::]:5173`), on any port: reachable from
 * other machines. `owners` maps each process group to its instance marker: a process is the group's when it
 * is in the group or carries the marker (one that left the group, `setsid cmd &`). Empty where the system
 * cannot tell (another user's sockets).
 */
export async function exposedListeners(owners: ReadonlyMap<number, string>): Promise<Map<number, string[]>> {
  const exposed = new Map<number, string[]>();
  if (owners.size === 0) return exposed;
  const groupOfMarker = new Map([...owners].map(([group, instance]) => [instance, group]));
  for (const { pid, address } of await system.exposedSockets()) {
    const stat = pid === undefined ? undefined : system.stat(pid);
    if (pid === undefined || !stat || stat.state === "Z") continue;
    const group = owners.has(stat.pgrp) ? stat.pgrp : groupOfMarker.get(system.markerOf(pid) ?? "");
    if (group === undefined) continue;
    const list = exposed.get(group) ?? [];
    if (!list.includes(address)) exposed.set(group, [...list, address]);
  }
  return exposed;
}

/**
 * `exposedListeners` for one group, batched: the groups that become ready within 5 milliseconds of each
 * other (an `up` of ten servers) share one look at the machine's sockets.
 */
export function exposureOf(group: number, instance: string): Promise<string[]> {
  const waiting = new Promise<string[]>((resolve) => batch.push({ group, instance, resolve }));
  if (batch.length === 1) pendingCheck = new Promise((done) => setTimeout(() => checkBatch().then(done), 5));
  return waiting;
}

/** Resolves once every batched check asked for so far has answered (an `up` reports them before its result). */
export async function exposureSettled(): Promise<void> {
  await pendingCheck;
}

let batch: { group: number; instance: string; resolve: (addresses: string[]) => void }[] = [];
let pendingCheck: Promise<void> = Promise.resolve();

async function checkBatch(): Promise<void> {
  const asked = batch;
  batch = [];
  const exposed = await exposedListeners(new Map(asked.map(({ group, instance }) => [group, instance])));
  for (const { group, resolve } of asked) resolve(exposed.get(group) ?? []);
}

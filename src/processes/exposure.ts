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
 * `exposedListeners` for one group, batched: the groups that become ready while a look is pending share it.
 * Each look runs `ss`, a process the supervisor waits for while the cores are busy starting servers: while an
 * `up` runs (`holdExposureLooks`) groups wait for its end, where `exposureSettled` looks once for all; at other
 * times looks are at least LOOK_GAP_MS apart.
 */
export function exposureOf(group: number, instance: string): Promise<string[]> {
  const waiting = new Promise<string[]>((resolve) => batch.push({ group, instance, resolve }));
  if (holds === 0) schedule();
  return waiting;
}

/** Holds looks until the returned release is called (the end of an `up`). */
export function holdExposureLooks(): () => void {
  holds += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds -= 1;
    if (holds === 0 && batch.length > 0) schedule();
  };
}

/** Resolves once every batched check asked for so far has answered (an `up` reports them before its result). */
export function exposureSettled(): Promise<void> {
  return batch.length > 0 ? look() : looking;
}

const LOOK_GAP_MS = 200;
let batch: { group: number; instance: string; resolve: (addresses: string[]) => void }[] = [];
let timer: NodeJS.Timeout | undefined;
let looking: Promise<void> = Promise.resolve();
let lastLook = 0;
let holds = 0;

function schedule(): void {
  timer ??= setTimeout(() => void look(), Math.max(5, lastLook + LOOK_GAP_MS - Date.now()));
}

function look(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  const asked = batch;
  batch = [];
  looking = looking.then(async () => {
    lastLook = Date.now();
    const owners = new Map(asked.map(({ group, instance }) => [group, instance]));
    // Not knowing is not a warning: a look that fails tells nothing.
    const exposed = await exposedListeners(owners).catch(() => new Map<number, string[]>());
    for (const { group, resolve } of asked) resolve(exposed.get(group) ?? []);
  });
  return looking;
}

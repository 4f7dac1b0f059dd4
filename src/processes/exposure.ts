import { execFile } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { promisify } from "node:util";
import { processTable } from "./process-table.js";
import { markerOf, statOf } from "./strays.js";

const LISTEN = "0A";
const run = promisify(execFile);

// The message lives with the `exposed` event in logs/: the CLI shows it without loading processes/.
export { exposureWarning } from "../logs/index.js";

/**
 * Where these processes listen beyond loopback (`0.0.0.0:4100`, `[::]:5173`), on any port: reachable from
 * other machines. `owners` maps each process group to its instance marker: a process is the group's when it
 * is in the group or carries the marker (one that left the group, `setsid cmd &`). Linux: the listening
 * sockets of /proc/net/tcp and tcp6 beyond loopback, each traced once to the process holding it (a pass over
 * /proc only when such a socket is new: most machines have a few, sshd's, a container proxy's, that stay), then
 * that process's group and marker read. Empty where /proc cannot tell (another system or user).
 */
export async function exposedListeners(owners: ReadonlyMap<number, string>): Promise<Map<number, string[]>> {
  const exposed = new Map<number, string[]>();
  if (owners.size === 0) return exposed;
  const sockets = await listeningBeyondLoopback();
  const groupOfMarker = new Map([...owners].map(([group, instance]) => [instance, group]));
  for (const [inode, address] of sockets) {
    let pid = holderOf(inode, sockets);
    // The process that opened it may have handed it on and exited (a daemon's double fork): look again.
    if (pid !== undefined && !statOf(pid)) {
      holders.delete(inode);
      pid = holderOf(inode, sockets);
    }
    const stat = pid === undefined ? undefined : statOf(pid);
    if (pid === undefined || !stat || stat.state === "Z") continue;
    const group = owners.has(stat.pgrp) ? stat.pgrp : groupOfMarker.get(markerOf(pid) ?? "");
    if (group === undefined) continue;
    const list = exposed.get(group) ?? [];
    if (!list.includes(address)) exposed.set(group, [...list, address]);
  }
  return exposed;
}

/**
 * `exposedListeners` for one group, batched: the groups that become ready within 5 milliseconds of each
 * other (an `up` of ten servers) share one read of /proc/net/tcp, which the kernel writes out whole, every
 * connection included, on each read.
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

/** Which process holds each listening socket seen so far (undefined: none this user may read). */
const holders = new Map<string, number | undefined>();

/** The process holding `inode`; a socket not seen before sends one pass over /proc for all the new ones. */
function holderOf(inode: string, listening: ReadonlyMap<string, string>): number | undefined {
  if (!holders.has(inode)) {
    for (const known of holders.keys()) if (!listening.has(known)) holders.delete(known);
    const wanted = new Set([...listening.keys()].filter((candidate) => !holders.has(candidate)));
    for (const candidate of wanted) holders.set(candidate, undefined);
    for (const pid of processTable().map((row) => row.pid))
      for (const held of socketInodes(pid)) if (wanted.has(held)) holders.set(held, pid);
  }
  return holders.get(inode);
}

/**
 * Listening TCP sockets bound beyond loopback: inode → address. `ss` asks the kernel for listening sockets only
 * (netlink, ~1 ms); reading /proc/net/tcp walks every connection of the machine, ~4 ms a read here and more
 * while probes leave connections in TIME_WAIT, so it is only the fallback where `ss` is missing.
 */
async function listeningBeyondLoopback(): Promise<Map<string, string>> {
  try {
    const { stdout } = await run("ss", ["-Hltne"], { timeout: 5000 });
    const found = new Map<string, string>();
    for (const line of stdout.split("\n")) {
      const fields = line.trim().split(/\s+/);
      const local = fields[3];
      const inode = /(?:^|\s)ino:(\d+)/.exec(line)?.[1];
      if (local && inode && !loopbackAddress(local)) found.set(inode, local);
    }
    return found;
  } catch {
    const found = new Map<string, string>();
    for (const file of ["/proc/net/tcp", "/proc/net/tcp6"])
      for (const [inode, address] of outsideLoopback(file)) found.set(inode, address);
    return found;
  }
}

/** `127.0.0.1:5432`, `127.0.0.53%lo:53`, `[::1]:631`, `[::ffff:127.0.0.1]:80`: loopback as `ss` writes it. */
function loopbackAddress(local: string): boolean {
  const host = local
    .slice(0, local.lastIndexOf(":"))
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  return host.startsWith("127.") || host === "::1" || host.startsWith("::ffff:127.");
}

/** Listening sockets of a /proc/net table bound beyond loopback: inode → address. */
function outsideLoopback(file: string): Map<string, string> {
  const found = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return found;
  }
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, state, inode] = [fields[1], fields[3], fields[9]];
    if (!local || state !== LISTEN || !inode) continue;
    const [hex, portHex] = local.split(":");
    const address = hex ? readAddress(hex) : undefined;
    const port = Number.parseInt(portHex ?? "0", 16);
    if (address && !address.loopback) found.set(inode, `${address.text}:${port}`);
  }
  return found;
}

/** An address as /proc writes it: the bytes of each 32-bit word in host order (little-endian here). */
function readAddress(hex: string): { text: string; loopback: boolean } | undefined {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8)
    for (let byte = 6; byte >= 0; byte -= 2)
      bytes.push(Number.parseInt(hex.slice(word + byte, word + byte + 2), 16));
  if (bytes.length === 4) return { text: bytes.join("."), loopback: bytes[0] === 127 };
  if (bytes.length !== 16) return undefined;
  const v4mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (v4mapped) return { text: `[::ffff:${bytes.slice(12).join(".")}]`, loopback: bytes[12] === 127 };
  const loopback = bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1;
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2)
    groups.push((((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0)).toString(16));
  const text = bytes.every((byte) => byte === 0) ? "[::]" : `[${groups.join(":")}]`;
  return { text, loopback };
}

function socketInodes(pid: number): string[] {
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

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { processTable } from "./process-table.js";
import { findStrays } from "./strays.js";

const LISTEN = "0A";

// The message lives with the `exposed` event in logs/: the CLI shows it without loading processes/.
export { exposureWarning } from "../logs/index.js";

/**
 * Where these processes listen beyond loopback (`0.0.0.0:4100`, `[::]:5173`), on any port: reachable from
 * other machines. `owners` maps each process group to its instance marker: a process is the group's when it
 * is in the group or carries the marker (one that left the group, `setsid cmd &`). Linux: the listening
 * sockets of /proc/net/tcp and tcp6, matched to the owners' open sockets; the pass over /proc that finds
 * the owners' processes is made only when some socket of the machine listens beyond loopback. Empty where
 * /proc cannot tell (another system or user).
 */
export function exposedListeners(owners: ReadonlyMap<number, string>): Map<number, string[]> {
  const exposed = new Map<number, string[]>();
  const sockets = new Map<string, string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"])
    for (const [inode, address] of outsideLoopback(file)) sockets.set(inode, address);
  if (sockets.size === 0 || owners.size === 0) return exposed;
  const groupOf = new Map<number, number>();
  for (const { pid, pgrp, state } of processTable())
    if (owners.has(pgrp) && state !== "Z") groupOf.set(pid, pgrp);
  const strays = findStrays(new Map([...owners].map(([group, instance]) => [instance, group])));
  for (const [group, instance] of owners)
    for (const pid of strays.get(instance) ?? []) groupOf.set(pid, group);
  for (const [pid, group] of groupOf) {
    for (const inode of socketInodes(pid)) {
      const address = sockets.get(inode);
      const list = exposed.get(group) ?? [];
      if (address !== undefined && !list.includes(address)) exposed.set(group, [...list, address]);
    }
  }
  return exposed;
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

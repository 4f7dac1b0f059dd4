import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { pids, socketInodes } from "./procfs.js";
import type { ExposedSocket } from "./system-types.js";

const LISTEN = "0A";
const run = promisify(execFile);

/**
 * Linux: the listening sockets beyond loopback (from `ss`, or /proc/net/tcp and tcp6), each traced once to the
 * process holding it (a pass over /proc only when such a socket is new: most machines have a few, sshd's, a
 * container proxy's, that stay). A holder gone since (a daemon's double fork handed the socket on) is looked
 * for again.
 */
export async function exposedSocketsProcfs(): Promise<ExposedSocket[]> {
  const sockets = await listeningBeyondLoopback();
  const found: ExposedSocket[] = [];
  for (const [inode, address] of sockets) {
    let pid = holderOf(inode, sockets);
    if (pid !== undefined && !existsSync(`/proc/${pid}`)) {
      holders.delete(inode);
      pid = holderOf(inode, sockets);
    }
    found.push({ pid, address });
  }
  return found;
}

/** Which process holds each listening socket seen so far (undefined: none this user may read). */
const holders = new Map<string, number | undefined>();

/** The process holding `inode`; a socket not seen before sends one pass over /proc for all the new ones. */
function holderOf(inode: string, listening: ReadonlyMap<string, string>): number | undefined {
  if (!holders.has(inode)) {
    for (const known of holders.keys()) if (!listening.has(known)) holders.delete(known);
    const wanted = new Set([...listening.keys()].filter((candidate) => !holders.has(candidate)));
    for (const candidate of wanted) holders.set(candidate, undefined);
    for (const pid of pids())
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

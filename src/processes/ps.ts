import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { INSTANCE_VAR } from "./marker.js";
import type { ExposedSocket, MarkedProcess, ProcEntry, ProcessSystem } from "./system-types.js";

const run = promisify(execFile);
const TICKS_PER_SECOND = 100;
const MARKER = new RegExp(` ${INSTANCE_VAR}=(\\S+)`);

/**
 * macOS, and Linux under `BERTH_PROC=ps`: `ps` for the process table and environments, `lsof` for sockets.
 * Environments: `ps` shows them only for this user's processes (macOS: `ps -E`, and not for processes
 * that protect theirs); a marker is read from the text after the command, so a command line that itself
 * holds ` BERTH_INSTANCE=` is misread.
 */
export const ps: ProcessSystem = {
  processTable: () => table(),
  stat: (pid) => table(pid)[0],
  startTime,
  commandLine: (pid) => table(pid)[0]?.command ?? "?",
  markerOf: (pid) => marked(pid)[0]?.marker,
  markedProcesses: () => marked(),
  listenerOf,
  exposedSockets,
};

const LINUX = process.platform === "linux";

/** procps and BSD `ps` agree on `-o` names; both pad columns, so the command comes last. */
function runPs(args: string[]): string {
  try {
    return execFileSync("ps", args, {
      encoding: "utf8",
      env: { ...process.env, LC_ALL: "C" },
      maxBuffer: 64 << 20,
    });
  } catch {
    // `ps -p` of a process that is gone exits 1 with the header only
    return "";
  }
}

function table(pid?: number): ProcEntry[] {
  const who = pid === undefined ? ["-ax"] : ["-p", String(pid)];
  const rows: ProcEntry[] = [];
  for (const line of runPs([...who, "-ww", "-o", "pid=,pgid=,stat=,rss=,time=,command="]).split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s?(.*)$/.exec(line);
    if (!match) continue;
    const [, id, pgrp, state, rss, time, command] = match;
    rows.push({
      pid: Number(id),
      pgrp: Number(pgrp),
      state: (state ?? "").charAt(0),
      rssBytes: Number(rss) * 1024,
      cpuTicks: Math.round(cpuSeconds(time ?? "") * TICKS_PER_SECOND),
      command: command || "?",
    });
  }
  return rows;
}

/** `[dd-]hh:mm:ss` (procps) or `m:ss.cc` (BSD) in seconds. */
export function cpuSeconds(text: string): number {
  const [days, clock] = text.includes("-") ? text.split("-") : ["0", text];
  const parts = (clock ?? "").split(":").map(Number);
  let seconds = 0;
  for (const part of parts) seconds = seconds * 60 + part;
  return Number(days) * 86_400 + (Number.isFinite(seconds) ? seconds : 0);
}

/** In seconds since the epoch, whole: two processes started in the same second of the same pid are one. */
function startTime(pid: number): number | undefined {
  const text = runPs(["-p", String(pid), "-o", "lstart="]).trim();
  const time = Date.parse(text);
  return text && Number.isFinite(time) ? time / 1000 : undefined;
}

/** The processes (one, or all) whose environment shows a marker: `ps e` (procps) and `ps -E` (BSD). */
function marked(pid?: number): MarkedProcess[] {
  const who = pid === undefined ? ["ax"] : ["-p", String(pid)];
  const args = LINUX ? [...who, "eww"] : [...who.map((arg) => (arg === "ax" ? "-ax" : arg)), "-Eww"];
  const found: MarkedProcess[] = [];
  for (const line of runPs([...args, "-o", "pid=,pgid=,stat=,command="]).split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s(.*)$/.exec(line);
    const marker = match?.[4] ? MARKER.exec(match[4])?.[1] : undefined;
    if (!match || marker === undefined) continue;
    found.push({ pid: Number(match[1]), pgrp: Number(match[2]), state: (match[3] ?? "").charAt(0), marker });
  }
  return found;
}

function listenerOf(port: number): number | undefined {
  try {
    const out = execFileSync("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fp"], { encoding: "utf8" });
    const pid = /^p(\d+)$/m.exec(out)?.[1];
    return pid === undefined ? undefined : Number(pid);
  } catch {
    // lsof exits 1 when nothing matches
    return undefined;
  }
}

async function exposedSockets(): Promise<ExposedSocket[]> {
  let out: string;
  try {
    ({ stdout: out } = await run("lsof", ["-nP", "-iTCP", "-sTCP:LISTEN", "-Fpn"], { timeout: 5000 }));
  } catch (error) {
    out = (error as { stdout?: string }).stdout ?? "";
  }
  return exposedIn(out);
}

/** The sockets beyond loopback in `lsof -Fpn` output: a `p<pid>` line, then an `n<address>` line per socket. */
export function exposedIn(out: string): ExposedSocket[] {
  const found: ExposedSocket[] = [];
  let pid: number | undefined;
  for (const line of out.split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("n") && !loopback(line.slice(1))) {
      const address = line.slice(1).replace(/^\*:/, "0.0.0.0:");
      if (!found.some((seen) => seen.pid === pid && seen.address === address)) found.push({ pid, address });
    }
  }
  return found;
}

/** `127.0.0.1:5432`, `[::1]:631`, `[::ffff:127.0.0.1]:80`: loopback as lsof writes it. */
function loopback(name: string): boolean {
  const host = name.slice(0, name.lastIndexOf(":")).replace(/^\[|\]$/g, "");
  return host.startsWith("127.") || host === "::1" || host.startsWith("::ffff:127.");
}

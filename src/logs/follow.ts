import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { setTimeout } from "node:timers/promises";
import { type LogFilter, type LogLine, type LogOwner, logSources, matches, parseEntries } from "./read.js";

/**
 * Follows a workspace's logs: calls `onLine` for every new line that passes the filter, including files
 * that appear later, until the signal aborts. Polls, which works on every file system.
 */
export async function followLogs(
  owners: readonly LogOwner[],
  filter: LogFilter,
  onLine: (line: LogLine) => void,
  signal: AbortSignal,
  intervalMs = 100,
): Promise<void> {
  const offsets = new Map<string, number>();
  for (const [, , file] of logSources(owners, filter.targets))
    offsets.set(file, existsSync(file) ? statSync(file).size : 0);
  while (!signal.aborted) {
    for (const [codebase, name, file] of logSources(owners, filter.targets)) {
      const size = statSync(file).size;
      let offset = offsets.get(file) ?? 0;
      if (size < offset) offset = 0; // rotated
      if (size === offset) continue;
      const fd = openSync(file, "r");
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      closeSync(fd);
      const text = buffer.toString("utf8");
      const complete = text.lastIndexOf("\n") + 1;
      offsets.set(file, offset + Buffer.byteLength(text.slice(0, complete)));
      for (const entry of parseEntries(text.slice(0, complete))) {
        const line = { ...entry, codebase, name };
        if (matches(line, filter)) onLine(line);
      }
    }
    await pause(intervalMs, signal);
  }
}

/** Waits `ms`, or less when the signal aborts (Node's timer removes its abort listener as it ends). */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await setTimeout(ms, undefined, { signal });
  } catch (error) {
    if (!(error instanceof Error && error.name === "AbortError")) throw error;
  }
}

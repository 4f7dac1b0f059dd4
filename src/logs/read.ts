import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { LogEntry } from "./store.js";

export interface LogLine extends LogEntry {
  codebase: string;
  /** The process, or `task-<name>` for a task. */
  name: string;
}

export interface LogFilter {
  /** `codebase` or `codebase/process`; empty means all. */
  targets: readonly string[];
  since?: number;
  grep?: RegExp;
}

/** A codebase whose logs are read: its name and its logs folder. */
export interface LogOwner {
  codebase: string;
  logsDir: string;
}

/** The log files of these codebases that match the targets: [codebase, name, file]. */
export function logSources(
  owners: readonly LogOwner[],
  targets: readonly string[],
): [string, string, string][] {
  const sources: [string, string, string][] = [];
  for (const { codebase, logsDir: dir } of owners) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".jsonl")) continue;
      const name = file.slice(0, -".jsonl".length);
      const wanted =
        targets.length === 0 ||
        targets.some((target) => target === codebase || target === `${codebase}/${name}`);
      if (wanted) sources.push([codebase, name, join(dir, file)]);
    }
  }
  return sources;
}

export function matches(line: LogLine, filter: LogFilter): boolean {
  if (filter.since !== undefined && line.t < filter.since) return false;
  return filter.grep ? filter.grep.test(line.l) : true;
}

/** Every stored line that passes the filter, oldest first, across the rotated and current files. */
export function readLogs(owners: readonly LogOwner[], filter: LogFilter): LogLine[] {
  const lines: LogLine[] = [];
  for (const [codebase, name, file] of logSources(owners, filter.targets)) {
    for (const path of [`${file}.1`, file]) {
      if (!existsSync(path)) continue;
      for (const entry of parseEntries(readFileSync(path, "utf8"))) {
        const line = { ...entry, codebase, name };
        if (matches(line, filter)) lines.push(line);
      }
    }
  }
  return lines.sort((a, b) => a.t - b.t);
}

export function parseEntries(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const raw of text.split("\n")) {
    if (!raw) continue;
    try {
      entries.push(JSON.parse(raw) as LogEntry);
    } catch {
      // A line cut by a crash mid-write; the rest of the log is still worth reading.
    }
  }
  return entries;
}

import { BerthError, userErrorsOf } from "../errors/index.js";
import { codebaseLogsDir, followLogs, type LogLine, type LogOwner, readLogs } from "../logs/index.js";
import { sinceToEpoch, unknownNameError } from "../manifest/index.js";
import { serverLogOwners } from "../providers/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

export type { LogLine } from "../logs/index.js";

export interface LogsResult {
  /** Whose logs these are: the codebases and the servers they claim (`postgres@15`). */
  sources: string[];
  /** The stored lines that pass the filter, oldest first. */
  lines: LogLine[];
  /** Calls `onLine` for every new line that passes the filter until the signal aborts (resolves then). */
  follow(onLine: (line: LogLine) => void): Promise<void>;
}

/** `berth logs`: stored lines of the workspace's processes, tasks and servers, filtered; `follow` for new ones. */
export async function logs(
  options: WorkspaceOptions & {
    /** codebase or codebase/process (default: all). */
    targets?: string[];
    /** Only lines newer than this: 30s, 5m, 2h, 1d or a date. */
    since?: string;
    /** Only lines matching this regular expression. */
    grep?: string;
  },
): Promise<LogsResult> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const targets = options.targets ?? [];
  const codebases = await codebasesOf(options, home);
  const owners: LogOwner[] = [
    ...codebases.map((codebase) => ({
      codebase: codebase.name,
      logsDir: codebaseLogsDir(home, codebase.name, codebase.dir),
    })),
    // The servers its codebases claim, as `status` lists them (postgres@15).
    ...serverLogOwners(
      home,
      codebases.map((codebase) => codebase.dir),
    ),
  ];
  const names = owners.map((owner) => owner.codebase);
  for (const target of targets) {
    const name = target.split("/")[0] ?? "";
    if (!names.includes(name))
      throw unknownNameError({
        what: "codebase or server",
        name,
        known: names,
        code: "BERTH_UNKNOWN_CODEBASE",
      });
  }
  const since = options.since === undefined ? undefined : sinceToEpoch(options.since);
  if (options.since !== undefined && since === undefined) {
    throw new BerthError("BERTH_USAGE", `--since ${options.since} is not a time`, {
      hint: "use 30s, 5m, 2h, 1d or a date such as 2026-11-25T10:00",
    });
  }
  let grep: RegExp | undefined;
  try {
    grep = options.grep === undefined ? undefined : new RegExp(options.grep);
  } catch (error) {
    throw new BerthError("BERTH_USAGE", `--grep: ${(error as Error).message}`, {
      hint: "escape special characters with a backslash",
    });
  }
  const filter = { targets, ...(since === undefined ? {} : { since }), ...(grep ? { grep } : {}) };
  const signal = options.signal ?? new AbortController().signal;
  return {
    sources: names,
    lines: readLogs(owners, filter),
    follow: (onLine) => followLogs(owners, filter, onLine, signal),
  };
}

/**
 * The workspace's codebases; when its manifests no longer load, those of what runs from this folder (started
 * from the workspace last loaded, which the supervisor keeps), so that their logs can still be read.
 */
async function codebasesOf(
  options: WorkspaceOptions,
  home: string,
): Promise<{ name: string; dir: string }[]> {
  try {
    const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
    return [...workspace.codebases.values()];
  } catch (error) {
    if (userErrorsOf(error).length === 0) throw error;
    const rows = await askRunningSupervisor(options, "status", { root: options.root, all: false });
    // A provider's server (`postgres@15/server`; no codebase name has an @) comes with the codebases claiming it.
    const running = (rows ?? []).filter((row) => !(row.process === "server" && row.codebase.includes("@")));
    if (running.length === 0) throw error;
    return [...new Map(running.map((row) => [row.codebase, { name: row.codebase, dir: row.dir }])).values()];
  }
}

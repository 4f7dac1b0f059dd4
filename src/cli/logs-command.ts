import pc from "picocolors";
import { BerthError } from "../errors/index.js";
import { codebaseLogsDir, followLogs, type LogLine, type LogOwner, readLogs } from "../logs/index.js";
import { sinceToEpoch, unknownNameError } from "../manifest/index.js";
import { serverLogOwners } from "../providers/index.js";
import { berthHome } from "../state/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { type GlobalOptions, print } from "./io.js";

/** `berth logs`: stored lines of the workspace's processes and tasks, filtered, and followed with -f. */
export async function runLogs(
  options: GlobalOptions,
  targets: string[],
  flags: { follow?: boolean; since?: string; grep?: string },
): Promise<void> {
  const home = berthHome();
  const workspace = await resolveWorkspace({ root: options.cwd, home });
  const codebases = [...workspace.codebases.values()];
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
  const since = flags.since === undefined ? undefined : sinceToEpoch(flags.since);
  if (flags.since !== undefined && since === undefined) {
    throw new BerthError("BERTH_USAGE", `--since ${flags.since} is not a time`, {
      hint: "use 30s, 5m, 2h, 1d or a date such as 2026-11-25T10:00",
    });
  }
  let grep: RegExp | undefined;
  try {
    grep = flags.grep === undefined ? undefined : new RegExp(flags.grep);
  } catch (error) {
    throw new BerthError("BERTH_USAGE", `--grep: ${(error as Error).message}`, {
      hint: "escape special characters with a backslash",
    });
  }
  const filter = { targets, ...(since === undefined ? {} : { since }), ...(grep ? { grep } : {}) };
  const width = Math.min(28, Math.max(8, ...owners.map((owner) => owner.codebase.length + 8)));
  const show = (line: LogLine) => {
    if (options.json)
      return print(
        JSON.stringify({
          time: new Date(line.t).toISOString(),
          codebase: line.codebase,
          name: line.name,
          stream: line.s,
          line: line.l,
        }),
      );
    const time = pc.dim(new Date(line.t).toISOString().slice(11, 23));
    const text = line.s === "err" ? pc.red(line.l) : line.s === "berth" ? pc.yellow(line.l) : line.l;
    print(`${time} ${pc.cyan(`${line.codebase}/${line.name}`.padEnd(width))} │ ${text}`);
  };
  for (const line of readLogs(owners, filter)) show(line);
  if (!flags.follow) return;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await followLogs(owners, filter, show, controller.signal);
}

import pc from "picocolors";
import type { LogLine } from "../api/logs.js";
import { type GlobalOptions, onOutputClosed, print } from "./io.js";

/** `berth logs`: stored lines of the workspace's processes and tasks, filtered, and followed with -f. */
export async function runLogs(
  options: GlobalOptions,
  targets: string[],
  flags: { follow?: boolean; since?: string; grep?: string },
): Promise<void> {
  const controller = new AbortController();
  const { logs } = await import("../api/logs.js");
  const result = await logs({ root: options.cwd, targets, ...flags, signal: controller.signal });
  const width = Math.min(28, Math.max(8, ...result.sources.map((name) => name.length + 8)));
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
  for (const line of result.lines) show(line);
  if (!flags.follow) return;
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const unlisten = onOutputClosed(stop);
  try {
    await result.follow(show);
  } finally {
    unlisten();
  }
}

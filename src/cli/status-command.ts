import pc from "picocolors";
import { exposureWarning, status } from "../api/status.js";
import type { ProcessStatus } from "../api/types.js";
import { printExternals } from "./externals-table.js";
import { type GlobalOptions, print, printJson } from "./io.js";

/** `berth status`: one line per process; `--json` gives the array of objects. */
export async function runStatus(options: GlobalOptions, all: boolean): Promise<void> {
  const { running, processes: rows, externals } = await status({ root: options.cwd, all });
  if (options.json) return printJson(rows);
  if (rows.length === 0) {
    print(
      running && !all
        ? "nothing of this workspace is running (`berth status --all` shows every workspace)"
        : "nothing is running",
    );
    return printExternals(externals);
  }
  const table = [
    ["PROCESS", "STATE", "PID", "PORT", "RESTARTS", "UPTIME", "MEMORY"],
    ...rows.map((row) => [
      `${row.codebase}/${row.process}`,
      stateCell(row),
      row.pid === null ? "-" : String(row.pid),
      row.port === null ? "-" : String(row.port),
      String(row.restarts),
      row.uptime_s === null ? "-" : uptime(row.uptime_s),
      row.rss_bytes === null ? "-" : `${(row.rss_bytes / 1024 / 1024).toFixed(1)} MiB`,
    ]),
  ];
  const widths = (table[0] ?? []).map((_, column) =>
    Math.max(...table.map((line) => line[column]?.length ?? 0)),
  );
  for (const [index, line] of table.entries()) {
    const text = line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
    print(index === 0 ? pc.dim(text) : colourState(text, rows[index - 1]?.state ?? ""));
    const row = rows[index - 1];
    if (!row) continue;
    if (row.waiting) print(pc.yellow(`  waiting: ${row.waiting}`));
    if (row.reason) print(pc.yellow(`  reason: ${row.reason}`));
    if (row.exposed.length > 0) print(pc.yellow(`  ! ${exposureWarning(row.exposed)}`));
    if (row.last_reload)
      print(
        pc.dim(
          `  last reload ${new Date(row.last_reload.at).toLocaleTimeString()}: ${row.last_reload.message}`,
        ),
      );
  }
  printExternals(externals);
}

/** The state, with how it ended when it did: `crashed (exit 1)`, `crashed (SIGKILL)`. */
function stateCell(row: ProcessStatus): string {
  if (row.exit_signal) return `${row.state} (${row.exit_signal})`;
  if (row.exit_code !== null) return `${row.state} (exit ${row.exit_code})`;
  return row.state;
}

function uptime(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${Math.floor(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

function colourState(text: string, state: string): string {
  if (state === "ready") return text;
  if (state === "crashed" || state === "failed") return pc.red(text);
  return pc.yellow(text);
}

import pc from "picocolors";
import type { ExternalStatus } from "../api/types.js";
import { print } from "./io.js";

/** `berth status`'s section on what Berth waits for but does not run: one line per external, tried once. */
export function printExternals(externals: readonly ExternalStatus[]): void {
  if (externals.length === 0) return;
  const rows = externals.map((external) => [
    `${external.codebase}/${external.alias}`,
    external.reachable ? "reachable" : "unreachable",
    external.url,
    external.detail,
  ]);
  const header = ["EXTERNAL", "STATE", "URL", "LAST TRY"];
  const widths = header.map((_, column) =>
    Math.max(header[column]?.length ?? 0, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  print("");
  print(pc.dim(line(header)));
  for (const [index, row] of rows.entries())
    print(externals[index]?.reachable ? line(row) : pc.red(line(row)));
}

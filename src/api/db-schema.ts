import { BerthError } from "../errors/index.js";
import { mysqlRun, pgRun } from "../snapshots/index.js";
import { claimFor } from "./support/claim-target.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * `berth db schema <codebase>/<alias>`: the claim's schema in a stable, diff-friendly form: no data, no
 * owners or privileges, no comments, settings or other lines that differ between two equal databases.
 */
export async function dbSchema(options: WorkspaceOptions & { target: string }): Promise<string> {
  const home = homeOf(options);
  const { server, grant } = await claimFor(options.root, home, options.target);
  if (server.kind === "postgres") {
    const dump = await pgRun(server, grant, "pg_dump", [
      "--schema-only",
      "--no-owner",
      "--no-privileges",
      grant.database ?? "",
    ]);
    return stable(
      dump
        .split("\n")
        .filter((line) => !/^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )/.test(line)),
    );
  }
  if (server.kind === "mysql") {
    const dump = await mysqlRun(server, grant, "dump", [
      "--no-data",
      "--skip-comments",
      "--skip-add-drop-table",
      grant.database ?? "",
    ]);
    return stable(
      dump
        .split("\n")
        .filter((line) => !/^\/\*!\d+ .*\*\/;$/.test(line))
        .map((line) => line.replace(/ AUTO_INCREMENT=\d+/, "")),
    );
  }
  throw new BerthError("BERTH_NO_SCHEMA", `${server.kind} has no schema`, {
    hint: "schemas are for postgres and mysql claims",
  });
}

function stable(lines: string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

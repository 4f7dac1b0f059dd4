import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { dbSchema } from "./db-schema.js";
import type { WorkspaceOptions } from "./support/options.js";

/** `berth db diff`: the live schema against a reference file; a readable unified diff, empty when they match. */
export async function dbDiff(
  options: WorkspaceOptions & { target: string; reference: string },
): Promise<string> {
  if (!existsSync(options.reference))
    throw new BerthError("BERTH_FILE_MISSING", `${options.reference} does not exist`, {
      hint: "write one with `berth db schema <codebase>/<alias> --out <file>`",
    });
  const live = await dbSchema(options);
  const folder = mkdtempSync(join(tmpdir(), "berth-schema-"));
  try {
    const current = join(folder, "live.sql");
    writeFileSync(current, live);
    const result = spawnSync(
      "diff",
      ["-u", "--label", options.reference, "--label", `${options.target} (live)`, options.reference, current],
      { encoding: "utf8" },
    );
    if (result.status === 0) return "";
    if (result.status === 1) return result.stdout;
    throw new BerthError("BERTH_TOOL_FAILED", `diff failed: ${result.stderr || result.error?.message}`, {
      hint: "install diffutils",
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

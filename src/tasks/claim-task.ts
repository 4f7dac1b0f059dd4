import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import type { TaskRun } from "./task-runner.js";
import { runTask } from "./task-runner.js";

/**
 * A codebase claim: the providing codebase's `claim` task runs for one consumer, with BERTH_CONSUMER set,
 * and writes `key=value` lines to $BERTH_OUTPUT; they become that consumer's exports.
 */
export async function runClaimTask(
  run: TaskRun & { consumer: string; outputs: readonly string[]; secretOutputs: readonly string[] },
): Promise<Record<string, string>> {
  const folder = mkdtempSync(join(tmpdir(), "berth-claim-"));
  const output = join(folder, "output");
  try {
    await runTask({
      ...run,
      env: { ...run.env, BERTH_CONSUMER: run.consumer, BERTH_OUTPUT: output },
      // What it prints is shown once it has ended, with its secret outputs hidden even on its first run.
      secretsAfter: () => {
        const values = readOutputs(output);
        return run.secretOutputs.flatMap((key) => values[key] ?? []);
      },
    });
    const values = readOutputs(output);
    const missing = run.outputs.filter((key) => values[key] === undefined);
    if (missing.length > 0) {
      throw new BerthError(
        "BERTH_CLAIM_OUTPUT",
        `${run.codebase}'s claim task for ${run.consumer} wrote no ${missing.join(", ")}`,
        {
          hint: "the task writes `key=value` lines to the file named by $BERTH_OUTPUT, one for each of its `outputs`",
        },
      );
    }
    return values;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The `key=value` lines a claim task wrote; nothing written is no values (reported as missing outputs). */
function readOutputs(file: string): Record<string, string> {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) values[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return values;
}

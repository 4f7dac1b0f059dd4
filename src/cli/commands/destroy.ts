import type { Command } from "commander";
import pc from "picocolors";
import type { GlobalOptions } from "../io.js";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerDestroyCommand(program: Command, run: Run): void {
  program
    .command("destroy")
    .description(
      "delete codebases' data: their databases and users, Redis dbs, memcached keys and data folders (needs --yes)",
    )
    .argument("[codebases...]", "codebases whose data to delete (default: the whole workspace)")
    .option("--yes", "yes, delete the data (there is no undo)")
    .option("--orphans", "instead, delete the servers' data left in /var/lib/berth by removed state folders")
    .action((codebases: string[], command: { yes?: boolean; orphans?: boolean }) =>
      run((options) =>
        runDestroy(options, codebases, { yes: command.yes ?? false, orphans: command.orphans ?? false }),
      ),
    );
}

/** `destroy`, and `down --volumes`: refuses without --yes, then says what it deleted. */
export async function runDestroy(
  options: GlobalOptions,
  codebases: string[],
  command: { yes: boolean; orphans?: boolean },
): Promise<void> {
  const api = await import("../../api/destroy.js");
  const what = command.orphans ? "deleting orphaned data" : "deleting data";
  if (!command.yes) throw api.refusedWithoutYes(what);
  const result = command.orphans
    ? (await import("../../api/destroy-orphans.js")).destroyOrphans({})
    : await api.destroy({ root: options.cwd, codebases });
  if (options.json) return printJson(result);
  if (result.deleted.length === 0) print("nothing to delete");
  for (const line of result.deleted) print(`${pc.green("✓")} deleted ${line}`);
  for (const line of result.kept) print(`${pc.yellow("·")} kept ${line}`);
}

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { BerthError } from "../errors/index.js";
import { registerDbCommands } from "./commands/db.js";
import { registerDestroyCommand } from "./commands/destroy.js";
import { registerExecCommands } from "./commands/exec.js";
import { registerExportComposeCommand } from "./commands/export.js";
import { registerKubernetesCommands } from "./commands/kubernetes.js";
import { registerRuntimeCommands } from "./commands/lifecycle.js";
import { registerObserveCommands } from "./commands/observe.js";
import { registerReadCommands } from "./commands/read.js";
import { registerSnapshotCommands } from "./commands/snapshot.js";
import { registerWorkspaceCommands } from "./commands/workspace.js";
import { type CommandAction, dropOutputOnceClosed, EXIT, type GlobalOptions, reportError } from "./io.js";

const VERSION = "0.1.0";

/** The command line's parser with every command; `run` executes a command's body (a test's may do nothing). */
export function berthProgram(run: (action: CommandAction) => Promise<void>): Command {
  const program = new Command("berth")
    .description("Every codebase its own development environment; one command line to run them.")
    .version(VERSION, "--version")
    .option("-C, --cwd <dir>", "the codebase's folder (default: the current folder)")
    .option("--json", "print data as JSON")
    .option("--trust", "trust every manifest (for CI; same as BERTH_TRUST=1)")
    .option("--debug", "show stacks of errors")
    .option("--no-color", "no colours")
    .showHelpAfterError()
    .exitOverride();
  registerReadCommands(program, run);
  registerWorkspaceCommands(program, run);
  registerRuntimeCommands(program, run);
  registerObserveCommands(program, run);
  registerExecCommands(program, run);
  registerSnapshotCommands(program, run);
  registerDbCommands(program, run);
  registerDestroyCommand(program, run);
  registerExportComposeCommand(program, run);
  registerKubernetesCommands(program, run);
  return program;
}

/** Runs the CLI and resolves to the exit code; it never exits the process itself. */
export async function main(argv: readonly string[]): Promise<number> {
  dropOutputOnceClosed();
  let exitCode: number = EXIT.ok;
  const run = async (action: CommandAction): Promise<void> => {
    const raw = program.opts<{ cwd?: string; json?: boolean; debug?: boolean; trust?: boolean }>();
    const options: GlobalOptions = {
      // Absolute: the supervisor, which resolves it, runs in another folder.
      cwd: resolve(raw.cwd ?? process.cwd()),
      json: raw.json ?? false,
      debug: raw.debug ?? false,
      trust: (raw.trust ?? false) || process.env.BERTH_TRUST === "1",
    };
    try {
      if (raw.cwd !== undefined && !statSync(options.cwd, { throwIfNoEntry: false })?.isDirectory())
        throw new BerthError("BERTH_NO_FOLDER", `-C ${raw.cwd}: no such folder`, {
          hint: "give the folder of a codebase, the one holding its berth.yaml",
        });
      const code = await action(options);
      if (typeof code === "number") exitCode = code;
    } catch (error) {
      exitCode = reportError(error, options);
    }
  };
  const program = berthProgram(run);

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, { json: false, debug: argv.includes("--debug") });
  }
  return exitCode;
}

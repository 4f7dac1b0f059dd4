import { relative } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

/** The `export` group, made by whichever target registers first (compose here, kubernetes beside it). */
export function exportCommand(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === "export") ??
    program
      .command("export")
      .description("render the workspace for another engine (Docker Compose, Kubernetes)")
  );
}

export function registerExportComposeCommand(program: Command, run: Run): void {
  exportCommand(program)
    .command("compose")
    .description(
      "one Compose file for the codebases and what they require; env files, secrets and configs go to berth-compose/ beside it (0600)",
    )
    .argument("[codebases...]", "codebases to export (default: this folder's)")
    .option(
      "-o, --out <file>",
      "write the Compose file here (default: stdout; berth-compose/ goes to the current folder)",
    )
    .action((codebases: string[], command: { out?: string }) =>
      run(async (options) => {
        const { exportCompose } = await import("../../api/export-compose.js");
        const result = await exportCompose({
          root: options.cwd,
          codebases,
          ...(command.out ? { out: command.out } : {}),
        });
        if (options.json)
          return printJson({ file: result.file, sideDir: result.sideDir, notes: result.notes });
        for (const note of result.notes) process.stderr.write(`${pc.yellow("note")} ${note}\n`);
        if (!result.file) return process.stdout.write(result.yaml);
        print(
          `${pc.green("✓")} wrote ${relative(process.cwd(), result.file) || result.file}, and ${relative(process.cwd(), result.sideDir)}/ beside it (env files and secrets, 0600); check it with \`docker compose -f ${relative(process.cwd(), result.file)} config -q\``,
        );
      }),
    );
}

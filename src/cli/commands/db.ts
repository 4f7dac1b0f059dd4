import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, print, printJson } from "../io.js";
import { inherit } from "./exec.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerDbCommands(program: Command, run: Run): void {
  const db = program.command("db").description("the databases a codebase claims: shell, schema, diff");

  db.command("shell")
    .description("the database's own client (psql, mariadb, redis-cli) on a claim, already authenticated")
    .argument("<target>", "codebase or codebase/alias")
    .argument("[args...]", "after --: passed to the client, e.g. -- -Atc 'select 1'")
    .action((target: string, args: string[]) =>
      run(async (options) => {
        const { dbShellCommand } = await import("../../api/db-shell.js");
        const shell = await dbShellCommand({ root: options.cwd, target });
        return inherit(shell.command, [...shell.args, ...args], options.cwd, {
          ...process.env,
          ...shell.env,
        });
      }),
    );

  db.command("schema")
    .description("a claim's schema, stable and diff-friendly (postgres, mysql)")
    .argument("<target>", "codebase or codebase/alias")
    .option("--out <file>", "write it to this file (readable by you alone)")
    .action((target: string, command: { out?: string }) =>
      run(async (options) => {
        const { dbSchema } = await import("../../api/db-schema.js");
        const schema = await dbSchema({ root: options.cwd, target });
        if (command.out) {
          const { writeOutFile } = await import("../out-file.js");
          writeOutFile(command.out, schema);
          if (options.json) return printJson({ target, file: command.out });
          return print(`${pc.green("✓")} wrote the schema of ${target} to ${command.out}`);
        }
        if (options.json) return printJson({ target, schema });
        process.stdout.write(schema);
      }),
    );

  db.command("diff")
    .description(
      "compare a claim's live schema with a file from `berth db schema --out`; exit 1 if they differ",
    )
    .argument("<target>", "codebase or codebase/alias")
    .argument("<file>", "the reference schema file")
    .action((target: string, file: string) =>
      run(async (options) => {
        const { dbDiff } = await import("../../api/db-diff.js");
        const diff = await dbDiff({ root: options.cwd, target, reference: file });
        if (options.json) printJson({ target, reference: file, matches: diff === "", diff });
        else if (diff === "") print(`${pc.green("✓")} the schema of ${target} matches ${file}`);
        else process.stdout.write(diff);
        return diff === "" ? 0 : 1;
      }),
    );
}

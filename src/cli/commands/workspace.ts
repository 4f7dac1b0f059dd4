import { relative } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerWorkspaceCommands(program: Command, run: Run): void {
  program
    .command("init")
    .description("write a commented berth.yaml for this folder, detecting its stack (never overwrites)")
    .option("--from <file>", "detect from this file: package.json, manage.py, Procfile or docker-compose.yml")
    .action((command: { from?: string }) =>
      run(async (options) => {
        const { init } = await import("../../api/init.js");
        const result = init({ dir: options.cwd, ...(command.from ? { from: command.from } : {}) });
        if (options.json) return printJson(result);
        const from = result.detected.length > 0 ? ` from ${result.detected.join(", ")}` : "";
        print(
          `${pc.green("✓")} wrote ${relative(process.cwd(), result.file) || result.file} for codebase \`${result.name}\`${from}`,
        );
        print("  next: read it, then `berth validate` and `berth trust`");
      }),
    );

  program
    .command("link")
    .description("use a local checkout of a codebase instead of the declared or pinned one")
    .argument("<alias>", "a requirement alias of this codebase, or a codebase's name")
    .argument("<dir>", "the local checkout")
    .action((alias: string, dir: string) =>
      run(async (options) => {
        const { link } = await import("../../api/link.js");
        const result = await link({ root: options.cwd, alias, dir });
        if (options.json) return printJson(result);
        print(`${pc.green("✓")} ${result.name} → ${result.dir}`);
      }),
    );

  program
    .command("unlink")
    .description("go back to the declared or pinned folder of a linked codebase")
    .argument("<alias>", "a requirement alias of this codebase, or a codebase's name")
    .action((alias: string) =>
      run(async (options) => {
        const { unlink } = await import("../../api/unlink.js");
        const result = await unlink({ root: options.cwd, alias });
        if (options.json) return printJson(result);
        print(`${pc.green("✓")} ${result.name} is no longer linked`);
      }),
    );

  program
    .command("links")
    .description("list the linked codebases of this workspace")
    .action(() =>
      run(async (options) => {
        const { listLinks } = await import("../../api/links.js");
        const links = listLinks({ root: options.cwd });
        if (options.json) return printJson(links);
        const entries = Object.entries(links);
        if (entries.length === 0) print("nothing is linked in this workspace");
        for (const [name, dir] of entries) print(`${name} → ${dir}`);
      }),
    );

  program
    .command("trust")
    .description("trust a manifest as it is now (default: every manifest of the workspace)")
    .argument("[path]", "a berth.yaml or its folder")
    .action((path: string | undefined) =>
      run(async (options) => {
        const { trust } = await import("../../api/trust.js");
        const trusted = await trust({ root: options.cwd, ...(path === undefined ? {} : { path }) });
        if (options.json) return printJson({ trusted });
        if (trusted.length === 0) print("already trusted; nothing changed");
        for (const file of trusted)
          print(`${pc.green("✓")} trusted ${relative(process.cwd(), file) || file}`);
      }),
    );

  program
    .command("doctor")
    .description("check this machine: node, database servers, the state folder, the supervisor")
    .action(() =>
      run(async (options) => {
        const { doctor } = await import("../../api/doctor.js");
        const checks = await doctor({ root: options.cwd });
        if (options.json) printJson(checks);
        else {
          for (const check of checks) {
            print(`${check.ok ? pc.green("✓") : pc.red("✗")} ${check.name.padEnd(13)} ${check.detail}`);
            if (check.fix) print(`  ${pc.cyan("fix:")} ${check.fix}`);
          }
        }
        return checks.some((check) => !check.ok && !check.optional) ? 1 : 0;
      }),
    );

  program
    .command("update")
    .description("move berth.lock's pins to the current commits of the git requirements' refs")
    .argument("[aliases...]", "only these requirements (alias or URL)")
    .action((aliases: string[]) =>
      run(async (options) => {
        const { validate } = await import("../../api/validate.js");
        const { workspace } = await validate({
          root: options.cwd,
          update: aliases.length > 0 ? aliases : true,
        });
        const pins = [...workspace.codebases.values()].flatMap((codebase) =>
          codebase.origin.kind === "git"
            ? [
                {
                  name: codebase.name,
                  url: codebase.origin.url,
                  ref: codebase.origin.ref,
                  commit: codebase.origin.commit,
                },
              ]
            : [],
        );
        if (options.json) return printJson({ lockfile: workspace.lockfile.file, pins });
        if (pins.length === 0) print("no git requirements; nothing to pin");
        for (const pin of pins)
          print(`${pc.green("✓")} ${pin.name} ${pin.ref ?? "HEAD"} → ${pin.commit.slice(0, 12)}`);
      }),
    );
}

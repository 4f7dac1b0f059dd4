import { relative, resolve } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, type GlobalOptions, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerWorkspaceCommands(program: Command, run: Run): void {
  program
    .command("init")
    .description("write a commented berth.yaml for this folder, detecting its stack (never overwrites)")
    .option(
      "--from <file>",
      "detect from this file: package.json or manage.py; a Procfile or Compose file is `berth import <file>`",
    )
    .action((command: { from?: string }) =>
      run(async (options) => {
        if (command.from !== undefined && /compose|procfile|\.ya?ml$/i.test(command.from))
          return importCommand(command.from, { overlay: [] }, options);
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
    .command("import")
    .description(
      "write draft berth.yaml files from a Compose file (one per codebase) or a Procfile, and report what each service became",
    )
    .argument("<file>", "a Compose file (docker-compose.yml) or a Procfile")
    .option(
      "-f, --overlay <file>",
      "a Compose overlay merged over the file, as `docker compose -f` (repeatable)",
      collect,
      [],
    )
    .option(
      "-o, --out <dir>",
      "where to write: <dir>/<codebase>/berth.yaml (default: berth-import/ beside the Compose file; a Procfile's own folder)",
    )
    .option("--force", "overwrite existing berth.yaml files")
    .action((file: string, command: { overlay: string[]; out?: string; force?: boolean }) =>
      run((options) => importCommand(file, command, options)),
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
    .description(
      "check this machine: node, database servers, each codebase's toolchain, the state folder, the supervisor",
    )
    .option("--fix", "install each missing toolchain with the version manager found on this machine")
    .action((flags: { fix?: boolean }) =>
      run(async (options) => {
        if (flags.fix) {
          const { fixToolchains } = await import("../../api/doctor-fix.js");
          const installs = await fixToolchains({ root: options.cwd });
          if (options.json) printJson(installs);
          else if (installs.length === 0) print("every toolchain is satisfied; nothing to install");
          else
            for (const item of installs)
              print(`${item.ok ? pc.green("✓") : pc.red("✗")} ${item.codebase}: ${item.command}`);
          return installs.every((item) => item.ok) ? 0 : 1;
        }
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function importCommand(
  file: string,
  command: { overlay: string[]; out?: string; force?: boolean },
  options: GlobalOptions,
): Promise<void> {
  const { importDrafts } = await import("../../api/import.js");
  const result = importDrafts({
    file: resolve(options.cwd, file),
    overlays: command.overlay.map((overlay) => resolve(options.cwd, overlay)),
    ...(command.out === undefined ? {} : { out: resolve(options.cwd, command.out) }),
    ...(command.force ? { force: true } : {}),
  });
  if (options.json) return printJson(result);
  const { printImportReport } = await import("../import-report.js");
  printImportReport(result);
}

import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerSnapshotCommands(program: Command, run: Run): void {
  const snapshot = program.command("snapshot").description("save, restore and share the data of a workspace");

  snapshot
    .command("save")
    .description("capture every database claim and data folder of the workspace (or of some codebases)")
    .argument("<name>")
    .argument("[codebases...]")
    .action((name: string, codebases: string[]) =>
      run(async (options) => {
        const { saveSnapshot } = await import("../../api/snapshot-save.js");
        const { externalsNotCaptured } = await import("../../api/snapshot-externals.js");
        const manifest = await saveSnapshot({ root: options.cwd, name, codebases, trustAll: options.trust });
        const skipped = await externalsNotCaptured({ root: options.cwd, codebases });
        if (options.json) return printJson({ ...manifest, not_captured: skipped });
        const size = manifest.entries.reduce((sum, entry) => sum + entry.size, 0);
        print(
          `${pc.green("✓")} saved ${name}: ${manifest.entries.map((entry) => `${entry.codebase}/${entry.what}`).join(", ") || "nothing stateful"} (${bytes(size)})`,
        );
        for (const { codebase, alias, reason } of skipped)
          print(pc.dim(`  ${codebase}/${alias} (external): ${reason}`));
      }),
    );

  snapshot
    .command("restore")
    .description("replace the current data with a snapshot's (asks first, or --yes)")
    .argument("<name>")
    .option("--yes", "do not ask")
    .action((name: string, command: { yes?: boolean }) =>
      run(async (options) => {
        const { snapshotInfo } = await import("../../api/snapshot-info.js");
        await snapshotInfo({ name });
        const { confirmOrRefuse } = await import("../confirm.js");
        await confirmOrRefuse({
          yes: command.yes,
          question: `replace the current data with snapshot ${name}?`,
          refusal: "nothing was restored",
          hint: "pass --yes to restore without asking",
        });
        const { restoreSnapshot } = await import("../../api/snapshot-restore.js");
        const result = await restoreSnapshot({ root: options.cwd, name, trustAll: options.trust });
        if (options.json) return printJson(result);
        const reran = result.reran.length > 0 ? `; ran again ${result.reran.join(", ")}` : "";
        const restarted = result.restarted.length > 0 ? `; restarted ${result.restarted.join(", ")}` : "";
        print(`${pc.green("✓")} restored ${result.restored.join(", ")}${reran}${restarted}`);
      }),
    );

  snapshot
    .command("list")
    .description("the snapshots of this state folder")
    .action(() =>
      run(async (options) => {
        const { listSnapshots } = await import("../../api/snapshot-list.js");
        const list = await listSnapshots();
        if (options.json) return printJson(list);
        if (list.length === 0) return print("no snapshots yet (`berth snapshot save <name>`)");
        for (const item of list)
          print(
            `${item.name.padEnd(20)} ${item.created.slice(0, 19).replace("T", " ")}  ${bytes(item.size).padStart(9)}  ${item.codebases.join(", ")}`,
          );
      }),
    );

  snapshot
    .command("rm")
    .description("delete a snapshot (asks first, or --yes)")
    .argument("<name>")
    .option("--yes", "do not ask")
    .action((name: string, command: { yes?: boolean }) =>
      run(async (options) => {
        const { snapshotInfo } = await import("../../api/snapshot-info.js");
        await snapshotInfo({ name });
        const { confirmOrRefuse } = await import("../confirm.js");
        await confirmOrRefuse({
          yes: command.yes,
          question: `delete snapshot ${name}? Its data cannot be restored after.`,
          refusal: `snapshot ${name} was kept`,
          hint: `pass --yes to delete without asking: berth snapshot rm ${name} --yes`,
        });
        const { removeSnapshot } = await import("../../api/snapshot-remove.js");
        const result = await removeSnapshot({ name });
        if (options.json) return printJson(result);
        print(`${pc.green("✓")} removed ${name}`);
      }),
    );

  snapshot
    .command("export")
    .description("write a snapshot as one compressed archive")
    .argument("<name>")
    .argument("<file>")
    .action((name: string, file: string) =>
      run(async (options) => {
        const { exportSnapshot } = await import("../../api/snapshot-export.js");
        const result = await exportSnapshot({ name, file });
        if (options.json) return printJson(result);
        print(`${pc.green("✓")} exported ${name} to ${file}`);
      }),
    );

  snapshot
    .command("import")
    .description("add a snapshot from an exported archive, verifying every checksum")
    .argument("<file>")
    .argument("[name]")
    .action((file: string, name: string | undefined) =>
      run(async (options) => {
        const { importSnapshot } = await import("../../api/snapshot-import.js");
        const manifest = await importSnapshot({ file, ...(name === undefined ? {} : { name }) });
        if (options.json) return printJson(manifest);
        print(`${pc.green("✓")} imported ${manifest.name} (${manifest.entries.length} files verified)`);
      }),
    );
}

function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 ** 2) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 ** 2).toFixed(1)} MiB`;
}

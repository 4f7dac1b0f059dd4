import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

/** `status`, `wait`, `logs`: what runs and what it says. */
export function registerObserveCommands(program: Command, run: Run): void {
  program
    .command("status")
    .description("state, pid, port, restarts, uptime and memory of every process")
    .option("--all", "every workspace of this state folder")
    .action((command: { all?: boolean }) =>
      run(async (options) => {
        const { runStatus } = await import("../status-command.js");
        await runStatus(options, command.all ?? false);
      }),
    );

  program
    .command("wait")
    .description("block until codebases are ready (for scripts and CI)")
    .argument("[codebases...]", "codebases to wait for (default: the whole workspace)")
    .option(
      "--timeout <duration>",
      "give up after this long: 90s, 5m, 1h30m (a bare number is seconds)",
      "60s",
    )
    .action((codebases: string[], command: { timeout: string }) =>
      run(async (options) => {
        const { durationFlag } = await import("../duration-flag.js");
        const timeoutMs = durationFlag("--timeout", command.timeout);
        const { wait } = await import("../../api/wait.js");
        const result = await wait({ root: options.cwd, codebases, timeoutMs });
        if (options.json) return printJson(result);
        print(`${pc.green("✓")} ready: ${result.ready.join(", ")}`);
      }),
    );

  program
    .command("watch")
    .description(
      "what is watched while the workspace runs: each codebase's globs, folders and paused processes",
    )
    .argument("[codebases...]", "codebases (default: every one followed)")
    .action((codebases: string[]) =>
      run(async (options) => {
        const { runWatch } = await import("../watch-command.js");
        await runWatch(options, codebases);
      }),
    );

  program
    .command("dashboard")
    .description("the address of the web dashboard (live processes, steps, graph, logs, actions)")
    .option("--open", "open it in the browser")
    .action((command: { open?: boolean }) =>
      run(async (options) => {
        const { runDashboard } = await import("../dashboard-command.js");
        await runDashboard(options, command.open ?? false);
      }),
    );

  program
    .command("logs")
    .description("logs of processes and tasks")
    .argument("[targets...]", "codebase or codebase/process (default: all)")
    .option("-f, --follow", "keep printing new lines")
    .option("--since <when>", "only lines newer than this: 30s, 5m, 2h, 1d or a date")
    .option("--grep <regex>", "only lines matching this regular expression")
    .action((targets: string[], command: { follow?: boolean; since?: string; grep?: string }) =>
      run(async (options) => {
        const { runLogs } = await import("../logs-command.js");
        await runLogs(options, targets, command);
      }),
    );
}

import type { Command } from "commander";
import pc from "picocolors";
import { BerthError } from "../../errors/index.js";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerRuntimeCommands(program: Command, run: Run): void {
  program
    .command("up")
    .description("start codebases and what they need, in order; attached (logs follow) unless -d")
    .argument("[codebases...]", "codebases to start (default: this folder's)")
    .option("-d, --detach", "return once everything is ready")
    .option("--timeout <duration>", "give up after this long: 90s, 5m, 1h30m (a bare number is seconds)")
    .option("--force", "run every task even when its inputs are unchanged")
    .action((codebases: string[], command: { detach?: boolean; timeout?: string; force?: boolean }) =>
      run(async (options) => {
        const { runUp } = await import("../up-command.js");
        return runUp(options, codebases, {
          detach: command.detach ?? false,
          timeout: command.timeout,
          ...(command.force ? { force: ["*"] } : {}),
        });
      }),
    );

  program
    .command("migrate")
    .description("run the migrate task of codebases (servers and claims are started as needed)")
    .argument("[codebases...]", "codebases (default: this folder's)")
    .action((codebases: string[]) =>
      run(async (options) => {
        const { runUp } = await import("../up-command.js");
        return runUp(options, codebases, {
          detach: true,
          timeout: undefined,
          only: ["migrate"],
          force: ["migrate"],
        });
      }),
    );

  program
    .command("seed")
    .description(
      "run the seed task of codebases (after migrate); --reset drops and recreates their data first",
    )
    .argument("[codebases...]", "codebases (default: this folder's)")
    .option("--reset", "drop and recreate the claimed data first (asks, or --yes)")
    .option("--yes", "do not ask")
    .action((codebases: string[], command: { reset?: boolean; yes?: boolean }) =>
      run(async (options) => {
        const { runUp } = await import("../up-command.js");
        const { confirm } = await import("../confirm.js");
        if (command.reset && !command.yes) {
          const { resetTargets } = await import("../../api/reset-targets.js");
          const targets = await resetTargets({ root: options.cwd, codebases });
          const named = targets.join(", ") || "nothing (no database is claimed)";
          if (!(await confirm(`drop and recreate ${named}?`)))
            throw new BerthError("BERTH_NOT_CONFIRMED", `nothing was reset; it would drop ${named}`, {
              hint: "pass --yes to reset without asking",
            });
        }
        const lifecycle = ["migrate", "seed"];
        return runUp(options, codebases, {
          detach: true,
          timeout: undefined,
          only: lifecycle,
          force: lifecycle,
          reset: command.reset ?? false,
        });
      }),
    );

  program
    .command("run")
    .description("run a task of a codebase (install, migrate, seed or a custom one)")
    .argument("<codebase>")
    .argument("<task>")
    .option("--for <consumer>", "claim task: the consumer to register, as its `up` would")
    .action((codebase: string, task: string, command: { for?: string }) =>
      run(async (options) => {
        const { runUp } = await import("../up-command.js");
        return runUp(options, [codebase], {
          detach: true,
          timeout: undefined,
          run: { task, for: command.for },
          only: [task],
          force: [task],
        });
      }),
    );

  program
    .command("down")
    .description("stop codebases (default: the whole workspace); data is kept unless --volumes")
    .argument("[codebases...]", "codebases to stop")
    .option("--all", "stop everything of this state folder, and the supervisor")
    .option("-v, --volumes", "also delete their data, as `berth destroy` does (needs --yes)")
    .option("--yes", "with --volumes: yes, delete the data (there is no undo)")
    .action((codebases: string[], command: { all?: boolean; volumes?: boolean; yes?: boolean }) =>
      run(async (options) => {
        if (command.volumes) {
          const { runDestroy } = await import("./destroy.js");
          await runDestroy(options, codebases, { yes: command.yes ?? false });
        }
        const view = new (await import("../view.js")).EventView({ showLines: false });
        const { down } = await import("../../api/down.js");
        const result = await down({
          root: options.cwd,
          codebases,
          all: command.all ?? false,
          // What it waits for, said at once (a pending up it cancels, another change to finish), on
          // stderr so that --json stays one document.
          onEvent: (event) => {
            const line = view.render(event);
            if (line !== undefined) process.stderr.write(`${line}\n`);
          },
        });
        if (options.json) return printJson(result);
        print(
          result.stopped.length === 0
            ? "nothing of this workspace was running"
            : `${pc.green("✓")} stopped ${result.stopped.join(", ")}`,
        );
      }),
    );

  program
    .command("restart")
    .description("restart one process (codebase/process) or one codebase, leaving the rest running")
    .argument("<target>", "codebase or codebase/process")
    .action((target: string) =>
      run(async (options) => {
        const { restart } = await import("../../api/restart.js");
        const result = await restart({ root: options.cwd, target, trustAll: options.trust });
        if (options.json) return printJson(result);
        print(`${pc.green("✓")} restarted ${result.restarted.join(", ")}`);
        if (result.updated.length > 0)
          print(
            `  with what the manifest says now (it changed since they started): ${result.updated.join(", ")}`,
          );
      }),
    );

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

  program
    .command("exec")
    .description("run a command with a codebase's environment, in its folder")
    .argument("<codebase>")
    .argument("<command...>")
    .action((codebase: string, command: string[]) =>
      run(async (options) => {
        const { codebaseEnvironment } = await import("../../api/environment.js");
        const { env, dir } = await codebaseEnvironment({
          root: options.cwd,
          codebase,
          forRunning: true,
          trustAll: options.trust,
        });
        return inherit(command[0] ?? "true", command.slice(1), dir, env);
      }),
    );

  program
    .command("shell")
    .description("open your shell with a codebase's environment, in its folder")
    .argument("[codebase]")
    .action((codebase: string | undefined) =>
      run(async (options) => {
        const { codebaseEnvironment } = await import("../../api/environment.js");
        const { env, dir } = await codebaseEnvironment({
          root: options.cwd,
          ...(codebase ? { codebase } : {}),
          forRunning: true,
          trustAll: options.trust,
        });
        return inherit(process.env.SHELL || "/bin/sh", [], dir, env);
      }),
    );

  program
    .command("env")
    .description("print a codebase's environment (secrets masked unless --show)")
    .argument("[codebase]")
    .option("--show", "show secret values")
    .action((codebase: string | undefined, command: { show?: boolean }) =>
      run(async (options) => {
        const { codebaseEnvironment } = await import("../../api/environment.js");
        const result = await codebaseEnvironment({
          root: options.cwd,
          ...(codebase ? { codebase } : {}),
          forRunning: false,
        });
        const shown = command.show ? result.env : result.masked;
        const values = Object.fromEntries(result.keys.map((key) => [key, shown[key] ?? ""]));
        if (options.json) return printJson(values);
        for (const [key, value] of Object.entries(values)) print(`${key}=${value}`);
      }),
    );
}

export async function inherit(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env, stdio: "inherit" });
    child.once("error", (error) => {
      process.stderr.write(`${pc.red("error")} cannot run ${file}: ${error.message}\n`);
      resolve(127);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

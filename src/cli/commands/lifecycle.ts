import type { Command } from "commander";
import pc from "picocolors";
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
    .option("--no-watch", "do not follow edits (watched files, task inputs, manifests) while it runs")
    .action(
      (
        codebases: string[],
        command: { detach?: boolean; timeout?: string; force?: boolean; watch: boolean },
      ) =>
        run(async (options) => {
          // Both at once: loading the modules is most of the CLI's part of an `up`.
          const [{ runUp }, { upSession }] = await Promise.all([
            import("../up-command.js"),
            import("../../api/up-session.js"),
          ]);
          return runUp(options, { detach: command.detach ?? false, timeout: command.timeout }, (session) =>
            upSession({
              root: options.cwd,
              codebases,
              trustAll: options.trust,
              ...(command.force ? { force: ["*"] } : {}),
              ...(command.watch ? {} : { watch: false }),
              ...session,
            }),
          );
        }),
    );

  program
    .command("migrate")
    .description("run the migrate task of codebases (servers and claims are started as needed)")
    .argument("[codebases...]", "codebases (default: this folder's)")
    .action((codebases: string[]) =>
      run(async (options) => {
        const [{ runUp }, { migrate }] = await Promise.all([
          import("../up-command.js"),
          import("../../api/migrate.js"),
        ]);
        return runUp(options, { detach: true, tasksOnly: true }, (session) =>
          migrate({ root: options.cwd, codebases, trustAll: options.trust, ...session }),
        );
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
        if (command.reset && !command.yes) {
          const { resetTargets } = await import("../../api/reset-targets.js");
          const targets = await resetTargets({ root: options.cwd, codebases });
          const named = targets.join(", ") || "nothing (no database is claimed)";
          const { confirmOrRefuse } = await import("../confirm.js");
          await confirmOrRefuse({
            yes: command.yes,
            question: `drop and recreate ${named}?`,
            refusal: `nothing was reset; it would drop ${named}`,
            hint: "pass --yes to reset without asking",
          });
        }
        const { seed } = await import("../../api/seed.js");
        return runUp(options, { detach: true, tasksOnly: true }, (session) =>
          seed({
            root: options.cwd,
            codebases,
            trustAll: options.trust,
            reset: command.reset ?? false,
            ...session,
          }),
        );
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
        const [{ runUp }, { runTask }] = await Promise.all([
          import("../up-command.js"),
          import("../../api/run.js"),
        ]);
        return runUp(options, { detach: true, tasksOnly: true }, (session) =>
          runTask({
            root: options.cwd,
            codebase,
            task,
            ...(command.for === undefined ? {} : { for: command.for }),
            trustAll: options.trust,
            ...session,
          }),
        );
      }),
    );

  program
    .command("down")
    .description("stop codebases (default: the whole workspace); data is kept unless --volumes")
    .argument("[targets...]", "codebases, or codebase/process, to stop")
    .option("--all", "stop everything of this state folder, and the supervisor")
    .option("-v, --volumes", "also delete their data, as `berth destroy` does (needs --yes)")
    .option("--yes", "with --volumes: yes, delete the data (there is no undo)")
    .option("--context <context>", "delete what `berth deploy` applied to this Kubernetes context instead")
    .option("-n, --namespace <namespace>", "with --context: the namespace deployed to")
    .action(
      (
        codebases: string[],
        command: { all?: boolean; volumes?: boolean; yes?: boolean; context?: string; namespace?: string },
      ) =>
        run(async (options) => {
          if (command.context) {
            const { runKubernetesDown } = await import("./kubernetes-down.js");
            return runKubernetesDown(options, { ...command, context: command.context });
          }
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
              ? command.all
                ? "nothing was running"
                : "nothing of this workspace was running"
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
}

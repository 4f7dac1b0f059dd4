import { relative } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { durationFlag } from "../duration-flag.js";
import { type CommandAction, print, printJson } from "../io.js";
import { exportCommand } from "./export.js";

type Run = (action: CommandAction) => Promise<void>;

const shown = (path: string) => relative(process.cwd(), path) || path;

export function registerKubernetesCommands(program: Command, run: Run): void {
  exportCommand(program)
    .command("kubernetes")
    .description("a kustomize folder (one file per object) for the codebases and what they require")
    .argument("[codebases...]", "codebases to export (default: this folder's)")
    .option("-o, --out <dir>", "the folder to write (default: ./kubernetes)")
    .option("-n, --namespace <namespace>", "set this namespace in the kustomization")
    .action((codebases: string[], command: { out?: string; namespace?: string }) =>
      run(async (options) => {
        const { exportKubernetes } = await import("../../api/export-kubernetes.js");
        const result = await exportKubernetes({
          root: options.cwd,
          codebases,
          ...(command.out ? { out: command.out } : {}),
          ...(command.namespace ? { namespace: command.namespace } : {}),
        });
        if (options.json) return printJson(result);
        for (const note of result.notes) process.stderr.write(`${pc.yellow("note")} ${note}\n`);
        print(
          `${pc.green("✓")} wrote ${result.objects.length} objects to ${shown(result.dir)}/, each valid against the Kubernetes schemas; build it with \`kubectl kustomize ${shown(result.dir)}\``,
        );
      }),
    );

  program
    .command("deploy")
    .description(
      "render the codebases for Kubernetes, apply them (server-side), prune what is gone, wait for the rollout",
    )
    .argument("[codebases...]", "codebases to deploy (default: this folder's)")
    .option("--context <context>", "the kubeconfig context (default: its current context)")
    .option("-n, --namespace <namespace>", "the namespace (default: the context's)")
    .option("--timeout <duration>", "how long to wait for the rollout", "10m")
    .option("--dry-run", "render and print the kubectl commands it would run; contact no cluster")
    .action(
      (
        codebases: string[],
        command: { context?: string; namespace?: string; timeout: string; dryRun?: boolean },
      ) =>
        run(async (options) => {
          const { deploy } = await import("../../api/deploy.js");
          let last = "";
          const result = await deploy({
            root: options.cwd,
            codebases,
            ...(command.context ? { context: command.context } : {}),
            ...(command.namespace ? { namespace: command.namespace } : {}),
            dryRun: command.dryRun ?? false,
            timeoutMs: durationFlag("--timeout", command.timeout),
            onWait: (waits) => {
              const text = waits.map((wait) => wait.line).join("\n");
              if (text !== last) process.stderr.write(`${text}\n`);
              last = text;
            },
          });
          if (options.json) return printJson(result);
          for (const note of result.folder.notes) process.stderr.write(`${pc.yellow("note")} ${note}\n`);
          if (command.dryRun) {
            for (const args of result.kubectl) print(`kubectl ${args.join(" ")}`);
            return;
          }
          for (const name of result.pruned) print(`${pc.yellow("pruned")} ${name}`);
          print(
            `${pc.green("✓")} deployed ${result.folder.objects.length} objects to ${result.context}${result.namespace ? `/${result.namespace}` : ""}; all ready`,
          );
        }),
    );
}

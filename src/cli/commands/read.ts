import { relative } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import type { Step } from "../../api/types.js";
import { BerthError } from "../../errors/index.js";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

export function registerReadCommands(program: Command, run: Run): void {
  program
    .command("validate")
    .description("check every manifest of the workspace: shape, references, requirements, cycles")
    .action(() =>
      run(async (options) => {
        const { validate } = await import("../../api/validate.js");
        const { renderUserError, userErrorData } = await import("../render-error.js");
        const result = await validate({ root: options.cwd });
        if (options.json)
          return printJson({
            ok: true,
            codebases: result.manifests,
            warnings: result.warnings.map(userErrorData),
          });
        for (const warning of result.warnings)
          process.stderr.write(`${renderUserError(warning, process.cwd(), pc.yellow("warning"))}\n`);
        const names = result.manifests.map((manifest) => manifest.name);
        const shown =
          names.length > 12
            ? `${names.slice(0, 10).join(", ")} and ${names.length - 10} more`
            : names.join(", ");
        print(
          `${pc.green("✓")} ${result.manifests.length} codebase${result.manifests.length === 1 ? "" : "s"} valid: ${shown}`,
        );
      }),
    );

  program
    .command("plan")
    .description("print the steps `berth up` would run, in order, and what each waits for")
    .argument("[codebases...]", "codebases to plan (default: this folder's)")
    .action((codebases: string[]) =>
      run(async (options) => {
        const { plan } = await import("../../api/plan.js");
        const result = await plan({ root: options.cwd, codebases, trustAll: options.trust });
        if (options.json) return printJson(result);
        print(pc.bold(`Plan for ${result.codebases.join(", ")} (${result.steps.length} steps)`));
        const width = Math.max(...result.steps.map((step) => step.id.length));
        for (const [index, step] of result.steps.entries()) {
          const waits = result.cached.includes(step.id)
            ? pc.dim("cached: inputs unchanged, skipped")
            : step.after.length > 0
              ? pc.dim(`after ${step.after.join(", ")}`)
              : pc.dim("starts at once");
          print(
            `${String(index + 1).padStart(3)}. ${step.id.padEnd(width)}  ${describeStep(step)}  ${waits}`,
          );
        }
        for (const { name, dir } of result.linked) print(`${pc.yellow("linked")} ${name} → ${dir}`);
        for (const file of result.untrusted) {
          print(
            `${pc.yellow("untrusted")} ${relative(options.cwd, file) || file}: \`berth up\` will refuse it until you run \`berth trust\``,
          );
        }
      }),
    );

  program
    .command("graph")
    .description("print the codebase graph")
    .argument("[codebases...]", "codebases to show (default: this folder's)")
    .option("--format <format>", "text, dot or mermaid", "text")
    .action((codebases: string[], command: { format: string }) =>
      run(async (options) => {
        const format = command.format;
        if (format !== "text" && format !== "dot" && format !== "mermaid") {
          throw new BerthError("BERTH_USAGE", `unknown graph format \`${format}\``, {
            hint: "use text, dot or mermaid",
          });
        }
        const { graph, renderGraph } = await import("../../api/graph.js");
        const result = await graph({ root: options.cwd, codebases });
        if (options.json) return printJson(result);
        print(renderGraph(result, format));
      }),
    );

  program
    .command("schema")
    .description("print the JSON Schema of berth.yaml (for editors), or with --markdown its reference page")
    .option("--markdown", "the reference page (docs/manifest.md)")
    .action((command: { markdown?: boolean }) =>
      run(async () => {
        const { jsonSchema, manifestReference } = await import("../../api/manifest-schema.js");
        if (command.markdown) return process.stdout.write(manifestReference());
        printJson(jsonSchema());
      }),
    );
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case "server":
      return `start the ${step.provider}${step.version ? ` ${step.version}` : ""} server`;
    case "claim":
      return step.provider_codebase
        ? `${step.provider_codebase} registers ${step.codebase} (its claim task)`
        : `claim a ${step.provider} share for ${step.codebase}`;
    case "external":
      return `wait until ${step.alias} (external, not run by Berth) answers for ${step.codebase}`;
    case "start":
      return `start process ${step.codebase}/${step.process}`;
    case "ready":
      return `wait until ${step.codebase}/${step.process} is ready`;
    default:
      return `run ${step.codebase}'s ${step.kind} task`;
  }
}

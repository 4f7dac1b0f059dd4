import type { Command } from "commander";
import pc from "picocolors";
import { type CommandAction, print, printJson } from "../io.js";

type Run = (action: CommandAction) => Promise<void>;

/** `exec`, `shell`, `env`: a codebase's environment, for commands Berth does not run itself. */
export function registerExecCommands(program: Command, run: Run): void {
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
        // Comments, so the output stays a dotenv file: what each external hands on, for ${requires.…}.
        for (const external of result.externals) {
          const exports = Object.entries(command.show ? external.values : external.masked);
          print(
            `# ${external.alias} (external): ${exports.map(([key, value]) => `${key}=${value}`).join(" ")}`,
          );
        }
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

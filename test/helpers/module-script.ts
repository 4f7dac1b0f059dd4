import { spawn } from "node:child_process";

/**
 * Runs a TypeScript module script (`import`s of the sources allowed) in a Node process of its own, as a second
 * supervisor or CLI would run beside this one; resolves with its exit code and what it printed. Its errors
 * go to the test's output.
 */
export function runModuleScript(script: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout: stdout.trim() })));
}

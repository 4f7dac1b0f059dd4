import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { BerthError } from "../errors/index.js";

/** Runs a dump or restore tool; its stderr becomes the error. The file `input` is its stdin. */
export async function tool(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<string> {
  const stdin = input ? openSync(input, "r") : "ignore";
  let child: ChildProcess;
  try {
    child = spawn(command, args, { env: { ...process.env, ...env }, stdio: [stdin, "pipe", "pipe"] });
  } finally {
    if (typeof stdin === "number") closeSync(stdin);
  }
  const stdout: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
  await succeeded(child, command);
  return Buffer.concat(stdout).toString();
}

/**
 * Runs a dump tool whose standard output is `file` itself. The data goes from the tool to the file with no
 * copy through this process: passing it through (to hash it on the way) cost the supervisor more CPU than
 * reading the file back from the page cache once.
 */
export async function toolToFile(
  command: string,
  args: string[],
  env: Record<string, string>,
  file: string,
  signal?: AbortSignal,
): Promise<void> {
  const output = openSync(file, "w", 0o600);
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", output, "pipe"],
      ...(signal ? { signal } : {}),
    });
  } finally {
    closeSync(output);
  }
  await succeeded(child, command);
}

/** Resolves when the tool exited with 0; else rejects with the end of its stderr. */
function succeeded(child: ChildProcess, command: string): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(
        error.name === "AbortError"
          ? new BerthError("BERTH_CANCELLED", `${command} was stopped: the command was cancelled`)
          : new BerthError("BERTH_TOOL_MISSING", `cannot run ${command}: ${error.message}`, {
              hint: "install the database's client tools (postgresql-client, mariadb-client)",
            }),
      ),
    );
    child.once("close", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new BerthError("BERTH_TOOL_FAILED", `${command} exited with code ${code}: ${lastError(stderr)}`, {
            hint: "is the database running? `berth up` starts it",
          }),
        );
    });
  });
}

/** The tool's own words: its last line that says ERROR (the lines after are context), else its last lines. */
function lastError(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const errors = lines.filter((line) => /\berror\b/i.test(line));
  return errors.length > 0 ? (errors.at(-1) ?? "") : lines.slice(-3).join(" / ");
}

import pc from "picocolors";
import { BerthErrors, userErrorsOf } from "../errors/index.js";
import { renderUserErrors, userErrorData } from "./render-error.js";

/** Options every command has. */
export interface GlobalOptions {
  cwd: string;
  json: boolean;
  debug: boolean;
  trust: boolean;
}

/** A command's body: what it returns, if a number, is the exit code. */
export type CommandAction = (options: GlobalOptions) => unknown;

export const EXIT = { ok: 0, failure: 1, usage: 2, bug: 70 } as const;

const whenOutputCloses = new Set<() => void>();
let watchingOutput = false;

/**
 * A reader that went away (a pipe into `head -1`) ends the output, never with a stack trace: what is still
 * written is dropped and the command finishes (an `up -d` still brings everything up). A command that only
 * follows output (`logs -f`, an attached `up`) ends through `onOutputClosed`, as on Ctrl-C.
 */
export function dropOutputOnceClosed(): void {
  if (watchingOutput) return;
  watchingOutput = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", () => {
      for (const listener of whenOutputCloses) listener();
      whenOutputCloses.clear();
    });
}

/** Calls `listener` once the output's reader went away; returns how to stop listening. */
export function onOutputClosed(listener: () => void): () => void {
  whenOutputCloses.add(listener);
  return () => whenOutputCloses.delete(listener);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The one place errors become output and exit codes: user errors are rendered with their hint and no
 * stack; anything else is a bug, shown as one (its stack under --debug).
 */
export function reportError(error: unknown, options: Pick<GlobalOptions, "json" | "debug">): number {
  const userErrors = userErrorsOf(error);
  if (userErrors.length > 0) {
    if (options.json) printJson({ ok: false, errors: userErrors.map(userErrorData) });
    else process.stderr.write(`${renderUserErrors(error)}\n`);
    if (error instanceof BerthErrors && userErrors.length > 1 && !options.json) {
      process.stderr.write(`${pc.red(`${userErrors.length} problems`)}\n`);
    }
    if (options.debug) process.stderr.write(`${(error as Error).stack}\n`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red("bug")} Berth failed unexpectedly: ${message}\n`);
  if (options.debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write(`  ${pc.cyan("hint:")} run again with --debug for the stack, and report it\n`);
  return EXIT.bug;
}

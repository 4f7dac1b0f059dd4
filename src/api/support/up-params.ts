import type { RunTask } from "../../graph/index.js";
import type { UpParams } from "../../supervisor/index.js";

/** What an `up` may ask besides its root and codebases; everything defaults to a plain `berth up -d`. */
export interface UpParamsRequest {
  trustAll?: boolean;
  /** Attached: stream the logs after the up until cancelled. */
  follow?: boolean;
  /** False: the processes' output lines are not sent. */
  lines?: boolean;
  /** Tasks to run even when their inputs are unchanged (`*`: all). */
  force?: string[];
  /** Only these task kinds. */
  only?: string[];
  /** One task of one codebase (`berth run`). */
  run?: RunTask;
  /** Drop and recreate the claimed data first (`berth seed --reset`). */
  reset?: boolean;
  /** False (`--no-watch`): edits are not followed while it runs. */
  watch?: boolean;
}

/** The one place an `up` request is built, for the library and the CLI alike. */
export function upParams(
  root: string,
  codebases: readonly string[],
  request: UpParamsRequest = {},
): UpParams {
  return {
    root,
    codebases: [...codebases],
    env: process.env,
    trustAll: request.trustAll ?? false,
    follow: request.follow ?? false,
    ...(request.lines !== undefined ? { lines: request.lines } : {}),
    ...(request.force ? { force: request.force } : {}),
    ...(request.only ? { only: request.only } : {}),
    ...(request.run ? { run: request.run } : {}),
    reset: request.reset ?? false,
    ...(request.watch === false ? { watch: false } : {}),
  };
}

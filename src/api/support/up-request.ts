import type { RunTask } from "../../graph/index.js";
import type { RuntimeEvent, UpResult } from "../../logs/index.js";
import { SupervisorClient } from "../../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./options.js";

/** What one `up` request can ask of the supervisor, besides the workspace. */
export interface UpRequest {
  codebases?: string[];
  trustAll?: boolean;
  /** Stay attached after ready: process lines keep coming as events until the signal aborts. */
  follow?: boolean;
  /** Send process output lines as events. */
  lines?: boolean;
  /** Tasks to run even when their inputs are unchanged (`*`: all). */
  force?: string[];
  /** Only these task kinds. */
  only?: string[];
  /** One task of one codebase (`berth run`). */
  run?: RunTask;
  /** Drop and recreate the claimed data first (`berth seed --reset`). */
  reset?: boolean;
  onEvent?: (event: RuntimeEvent) => void;
  /**
   * Give up when not ready after this long (counted once connected): what this request started is stopped.
   * Not once attached (`follow`): then only the signal ends it.
   */
  timeoutMs?: number;
  /** Called when `timeoutMs` ran out, as the cancel is sent. */
  onTimeout?: () => void;
}

/** What a task verb (migrate, seed, run) takes: an `up` request whose tasks the verb decides. */
export type TaskRequest = Omit<UpRequest, "only" | "force" | "run" | "reset">;

/**
 * One `up` request to the supervisor (started if needed). An aborted signal asks it to stop what this request
 * started; the call still resolves with its result.
 */
export async function requestUp(options: WorkspaceOptions & UpRequest): Promise<UpResult> {
  const client = await SupervisorClient.connect(homeOf(options), { start: true });
  if (!client) throw new Error("bug: the supervisor did not start");
  const cancel = () => client.cancel();
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  let attached = false;
  const onEvent = (event: RuntimeEvent) => {
    if (event.type === "up") attached = true;
    options.onEvent?.(event);
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          if (attached) return;
          cancel();
          options.onTimeout?.();
        }, options.timeoutMs);
  try {
    const params = {
      root: options.root,
      codebases: options.codebases ?? [],
      env: process.env,
      trustAll: options.trustAll ?? false,
      follow: options.follow ?? false,
      lines: options.lines ?? false,
      ...(options.force ? { force: options.force } : {}),
      ...(options.only ? { only: options.only } : {}),
      ...(options.run ? { run: options.run } : {}),
      reset: options.reset ?? false,
    };
    return await client.request<UpResult>("up", params, onEvent);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancel);
    client.close();
  }
}

import type { RuntimeEvent, UpResult } from "../../logs/index.js";
import type { WorkspaceOptions } from "./options.js";
import { callSupervisor } from "./supervisor-call.js";
import { type UpParamsRequest, upParams } from "./up-params.js";

/** What one `up` request can ask of the supervisor, besides the workspace. */
export interface UpRequest extends UpParamsRequest {
  codebases?: string[];
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
  let attached = false;
  let timer: NodeJS.Timeout | undefined;
  const onConnected = (cancel: () => void) => {
    if (options.timeoutMs === undefined) return;
    timer = setTimeout(() => {
      if (attached) return;
      cancel();
      options.onTimeout?.();
    }, options.timeoutMs);
  };
  const onEvent = (event: RuntimeEvent) => {
    if (event.type === "up") attached = true;
    options.onEvent?.(event);
  };
  const params = upParams(options.root, options.codebases ?? [], {
    ...options,
    lines: options.lines ?? false,
  });
  try {
    return await callSupervisor(options, "up", params, {
      start: true,
      onEvent,
      onConnected,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    clearTimeout(timer);
  }
}

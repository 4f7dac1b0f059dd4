import type { RuntimeEvent, UpResult } from "../../logs/index.js";
import { SupervisorClient } from "../../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./options.js";
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
    const params = upParams(options.root, options.codebases ?? [], {
      ...options,
      lines: options.lines ?? false,
    });
    return await client.request("up", params, onEvent);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", cancel);
    client.close();
  }
}

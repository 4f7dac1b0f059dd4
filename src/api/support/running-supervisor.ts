import type { RuntimeEvent } from "../../logs/index.js";
import type { Method, Params, Result } from "../../supervisor/index.js";
import type { HomeOptions } from "./options.js";
import { callSupervisor } from "./supervisor-call.js";

/**
 * One read of the supervisor that already runs (undefined when none does). An aborted signal rejects at once
 * with its reason: a read (status, wait, restart's answer) has nothing to undo.
 */
export function askRunningSupervisor<M extends Method>(
  options: HomeOptions,
  method: M,
  params: Params<M>,
  onEvent?: (event: RuntimeEvent) => void,
): Promise<Result<M> | undefined> {
  return callSupervisor(options, method, params, {
    start: false,
    onAbort: "abandon",
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
}

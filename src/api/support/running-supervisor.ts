import type { RuntimeEvent } from "../../logs/index.js";
import { type Method, type Params, type Result, SupervisorClient } from "../../supervisor/index.js";
import { type HomeOptions, homeOf, whenAborted } from "./options.js";

/**
 * One request to the supervisor that already runs (undefined when none does), then the connection closes.
 * An aborted signal rejects at once with its reason and closes the connection: a read (status, wait) has
 * nothing to undo, unlike `callSupervisor`'s calls, which ask the supervisor to cancel.
 */
export async function askRunningSupervisor<M extends Method>(
  options: HomeOptions,
  method: M,
  params: Params<M>,
  onEvent?: (event: RuntimeEvent) => void,
): Promise<Result<M> | undefined> {
  options.signal?.throwIfAborted();
  const client = await SupervisorClient.connect(homeOf(options), { start: false });
  if (!client) return undefined;
  const aborted = whenAborted(options.signal);
  try {
    return await Promise.race([client.request(method, params, onEvent), aborted.promise]);
  } finally {
    aborted.dispose();
    client.close();
  }
}

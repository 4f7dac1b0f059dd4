import type { RuntimeEvent } from "../../logs/index.js";
import { SupervisorClient } from "../../supervisor/index.js";
import { type HomeOptions, homeOf, whenAborted } from "./options.js";

/**
 * One request to the supervisor that already runs (undefined when none does), then the connection closes.
 * An aborted signal rejects at once with its reason and closes the connection.
 */
export async function askRunningSupervisor<T>(
  options: HomeOptions,
  method: string,
  params: Record<string, unknown>,
  onEvent?: (event: RuntimeEvent) => void,
): Promise<T | undefined> {
  options.signal?.throwIfAborted();
  const client = await SupervisorClient.connect(homeOf(options), { start: false });
  if (!client) return undefined;
  const aborted = whenAborted(options.signal);
  try {
    return await Promise.race([client.request<T>(method, params, onEvent), aborted.promise]);
  } finally {
    aborted.dispose();
    client.close();
  }
}

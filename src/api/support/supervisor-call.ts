import type { RuntimeEvent } from "../../logs/index.js";
import { berthHome } from "../../state/index.js";
import { type Method, type Params, type Result, SupervisorClient } from "../../supervisor/index.js";
import type { WorkspaceOptions } from "./options.js";
import { whenAborted } from "./options.js";

export interface CallOptions {
  /** Events the supervisor sends while it works (progress, lines, a lock it waits for). */
  onEvent?: (event: RuntimeEvent) => void;
  signal?: AbortSignal;
  /**
   * What an aborted signal does: `cancel` (default) asks the supervisor to undo the call (an `up` stops what it
   * started) and still resolves with its answer; `abandon` (a read, with nothing to undo) rejects at once with
   * the signal's reason and closes the connection.
   */
  onAbort?: "cancel" | "abandon";
  /** Called once connected, before the request leaves: a deadline counted from here excludes starting it. */
  onConnected?: (cancel: () => void) => void;
}

/**
 * The one call to the supervisor of `options.home`: connect (starting it with `start`), request, close. Without
 * `start`, no supervisor running answers undefined: there is nothing it could have done.
 */
export async function callSupervisor<M extends Method>(
  options: Pick<WorkspaceOptions, "home">,
  method: M,
  params: Params<M>,
  call: CallOptions & { start: true },
): Promise<Result<M>>;
export async function callSupervisor<M extends Method>(
  options: Pick<WorkspaceOptions, "home">,
  method: M,
  params: Params<M>,
  call: CallOptions & { start: false },
): Promise<Result<M> | undefined>;
export async function callSupervisor<M extends Method>(
  options: Pick<WorkspaceOptions, "home">,
  method: M,
  params: Params<M>,
  call: CallOptions & { start: boolean },
): Promise<Result<M> | undefined> {
  call.signal?.throwIfAborted();
  const home = options.home ?? berthHome();
  const client = await SupervisorClient.connect(home, { start: call.start });
  if (!client) {
    if (call.start) throw new Error("bug: the supervisor did not start");
    return undefined;
  }
  const cancel = () => client.cancel();
  const abandon = call.onAbort === "abandon";
  const aborted = abandon ? whenAborted(call.signal) : undefined;
  if (!abandon) call.signal?.addEventListener("abort", cancel, { once: true });
  try {
    call.onConnected?.(cancel);
    const answer = client.request(method, params, call.onEvent);
    return await (aborted ? Promise.race([answer, aborted.promise]) : answer);
  } finally {
    aborted?.dispose();
    call.signal?.removeEventListener("abort", cancel);
    client.close();
  }
}

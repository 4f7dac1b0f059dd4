import type { UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp, type UpRequest } from "./support/up-request.js";

export type { UpRequest } from "./support/up-request.js";

/**
 * `berth up` with every knob: attached (`follow`, the logs come as `line` events until the signal aborts),
 * forced tasks, only some tasks. `up()` is the simple form of it for libraries.
 */
export function upSession(options: WorkspaceOptions & UpRequest): Promise<UpResult> {
  return requestUp(options);
}

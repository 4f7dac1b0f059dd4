import type { UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp, type TaskRequest } from "./support/up-request.js";

/** `berth migrate`: runs the migrate task of codebases; servers and claims are started as needed. */
export function migrate(options: WorkspaceOptions & TaskRequest): Promise<UpResult> {
  return requestUp({ ...options, only: ["migrate"], force: ["migrate"] });
}

import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp } from "./support/up-request.js";

/** `berth migrate`: runs the migrate task of codebases; servers and claims are started as needed. */
export function migrate(
  options: WorkspaceOptions & {
    codebases?: string[];
    trustAll?: boolean;
    onEvent?: (event: RuntimeEvent) => void;
  },
): Promise<UpResult> {
  return requestUp({ ...options, only: ["migrate"], force: ["migrate"] });
}

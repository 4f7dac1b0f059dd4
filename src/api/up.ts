import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp } from "./support/up-request.js";

/**
 * `berth up -d` as a library call: starts the workspace (the supervisor too, if needed) and resolves once
 * everything asked for is ready or something failed. An aborted signal stops what this call started.
 */
export async function up(
  options: WorkspaceOptions & {
    codebases?: string[];
    trustAll?: boolean;
    signal?: AbortSignal;
    onEvent?: (event: RuntimeEvent) => void;
  },
): Promise<UpResult> {
  return requestUp(options);
}

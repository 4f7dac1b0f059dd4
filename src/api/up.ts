import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { callSupervisor } from "./support/supervisor-call.js";
import { upParams } from "./support/up-params.js";

export { type UpRequest, upParams } from "./support/up-params.js";

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
  const params = upParams(options.root, options.codebases ?? [], { trustAll: options.trustAll ?? false });
  return callSupervisor(options, "up", params, {
    start: true,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}

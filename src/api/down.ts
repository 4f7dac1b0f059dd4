import type { RuntimeEvent } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { callSupervisor } from "./support/supervisor-call.js";

/** `berth down`: stops the workspace's codebases (or the named ones); data is kept. */
export async function down(
  options: WorkspaceOptions & {
    codebases?: string[];
    all?: boolean;
    /** What it waits for, said at once: a pending `up` it cancels, another change to finish. */
    onEvent?: (event: RuntimeEvent) => void;
  },
): Promise<{ stopped: string[] }> {
  const params = { root: options.root, codebases: options.codebases ?? [], all: options.all ?? false };
  const onEvent = options.onEvent;
  return (
    (await callSupervisor(options, "down", params, { start: false, ...(onEvent ? { onEvent } : {}) })) ?? {
      stopped: [],
    }
  );
}

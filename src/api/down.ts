import type { WorkspaceOptions } from "./support/options.js";
import { callSupervisor } from "./support/supervisor-call.js";

/** `berth down`: stops the workspace's codebases (or the named ones); data is kept. */
export async function down(
  options: WorkspaceOptions & { codebases?: string[]; all?: boolean },
): Promise<{ stopped: string[] }> {
  const params = { root: options.root, codebases: options.codebases ?? [], all: options.all ?? false };
  return (await callSupervisor(options, "down", params, { start: false })) ?? { stopped: [] };
}

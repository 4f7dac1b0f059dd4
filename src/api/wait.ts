import { nothingRunningError } from "../graph/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

/** `berth wait`: resolves once the codebases (default: the whole workspace) are ready. */
export async function wait(
  options: WorkspaceOptions & { codebases?: string[]; timeoutMs?: number },
): Promise<{ ready: string[] }> {
  const codebases = options.codebases ?? [];
  const result = await askRunningSupervisor(options, "wait", {
    root: options.root,
    codebases,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  if (!result) throw nothingRunningError("wait", codebases);
  return result;
}

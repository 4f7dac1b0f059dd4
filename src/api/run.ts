import type { UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp, type TaskRequest } from "./support/up-request.js";

/** `berth run <codebase> <task>`: runs one task (install, migrate, seed or a custom one) of one codebase. */
export function runTask(
  options: WorkspaceOptions &
    Omit<TaskRequest, "codebases"> & {
      codebase: string;
      task: string;
      /** A claim task: the consumer to register, as its `up` would. */
      for?: string;
    },
): Promise<UpResult> {
  const { codebase, task } = options;
  return requestUp({
    ...options,
    codebases: [codebase],
    run: { task, for: options.for },
    only: [task],
    force: [task],
  });
}

import type { UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp, type TaskRequest } from "./support/up-request.js";

/** `berth seed`: runs the seed task of codebases (after migrate); `reset` drops and recreates their data first. */
export function seed(
  options: WorkspaceOptions &
    TaskRequest & {
      reset?: boolean;
    },
): Promise<UpResult> {
  const lifecycle = ["migrate", "seed"];
  return requestUp({ ...options, only: lifecycle, force: lifecycle, reset: options.reset ?? false });
}

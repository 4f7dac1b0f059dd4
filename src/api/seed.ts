import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { WorkspaceOptions } from "./support/options.js";
import { requestUp } from "./support/up-request.js";

/** `berth seed`: runs the seed task of codebases (after migrate); `reset` drops and recreates their data first. */
export function seed(
  options: WorkspaceOptions & {
    codebases?: string[];
    trustAll?: boolean;
    reset?: boolean;
    onEvent?: (event: RuntimeEvent) => void;
  },
): Promise<UpResult> {
  const lifecycle = ["migrate", "seed"];
  return requestUp({ ...options, only: lifecycle, force: lifecycle, reset: options.reset ?? false });
}

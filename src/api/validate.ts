import { cycleError, findCycles } from "../graph/index.js";
import { resolveWorkspace, type Workspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./context.js";

export interface ValidateResult {
  workspace: Workspace;
  /** Every manifest checked, root first. */
  manifests: { name: string; file: string }[];
}

/** Loads and checks the whole workspace: every manifest, every reference, the lockfile, no cycles. */
export async function validate(
  options: WorkspaceOptions & { update?: boolean | readonly string[] },
): Promise<ValidateResult> {
  const workspace = await resolveWorkspace({
    root: options.root,
    home: homeOf(options),
    update: options.update ?? false,
  });
  const cycles = findCycles(workspace);
  if (cycles[0]) throw cycleError(cycles[0]);
  const manifests = [...workspace.codebases.values()].map((codebase) => ({
    name: codebase.name,
    file: codebase.loaded.file,
  }));
  return { workspace, manifests };
}

import { planUp } from "../graph/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/** An `external:` requirement a snapshot leaves out: Berth does not own its data. */
export interface NotCaptured {
  codebase: string;
  alias: string;
  reason: string;
}

/** The externals of the codebases a `snapshot save` covers (those named and what they require). */
export async function externalsNotCaptured(
  options: WorkspaceOptions & { codebases?: readonly string[] },
): Promise<NotCaptured[]> {
  const workspace = await resolveWorkspace({ root: options.root, home: homeOf(options) });
  const covered = new Set(planUp(workspace, [...(options.codebases ?? [])]).codebases);
  return workspace.dependencies
    .filter((entry) => entry.target.kind === "external" && covered.has(entry.from))
    .map((entry) => ({
      codebase: entry.from,
      alias: entry.alias,
      reason: "not captured; Berth does not own its data",
    }));
}

import { unknownNameError } from "../manifest/index.js";
import type { Workspace } from "../workspace/index.js";

/** Every target (`codebase` or `codebase/process`) names a codebase of the workspace and a process of it. */
export function assertKnownTargets(workspace: Workspace, targets: readonly string[]): void {
  for (const target of targets) {
    const [name = "", process] = target.split("/");
    const codebase = workspace.codebases.get(name);
    if (!codebase) throw unknownNameError({ what: "codebase", name, known: workspace.codebases.keys() });
    const processes = Object.keys(codebase.loaded.manifest.processes ?? {});
    if (process !== undefined && !processes.includes(process))
      throw unknownNameError({
        what: "process",
        name: process,
        known: processes,
        within: `codebase ${name}`,
      });
  }
}

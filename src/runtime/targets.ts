import { BerthError } from "../errors/index.js";
import { didYouMean } from "../manifest/index.js";
import type { Workspace } from "../workspace/index.js";

/** Every target (`codebase` or `codebase/process`) names a codebase of the workspace and a process of it. */
export function assertKnownTargets(workspace: Workspace, targets: readonly string[]): void {
  for (const target of targets) {
    const [name = "", process] = target.split("/");
    const codebase = workspace.codebases.get(name);
    if (!codebase) {
      const names = [...workspace.codebases.keys()].sort();
      const guess = didYouMean(name, names);
      throw new BerthError("BERTH_UNKNOWN_CODEBASE", `no codebase is named \`${name}\` in this workspace`, {
        hint: `${guess ? `${guess} ` : ""}its codebases: ${names.join(", ")}`,
      });
    }
    const processes = Object.keys(codebase.loaded.manifest.processes ?? {}).sort();
    if (process !== undefined && !processes.includes(process)) {
      const guess = didYouMean(process, processes);
      throw new BerthError("BERTH_UNKNOWN_PROCESS", `${name} has no process named \`${process}\``, {
        hint: `${guess ? `${guess} ` : ""}${processes.length > 0 ? `its processes: ${processes.join(", ")}` : `${name} has no processes`}`,
      });
    }
  }
}

import { BerthError } from "../errors/index.js";
import { unknownNameError } from "../manifest/index.js";
import { unknownCodebaseError, type Workspace } from "../workspace/index.js";

/** Every target (`codebase` or `codebase/process`) names a codebase of the workspace and a process of it. */
export function assertKnownTargets(workspace: Workspace, targets: readonly string[]): void {
  for (const target of targets) {
    const [name = "", process] = target.split("/");
    const codebase = workspace.codebases.get(name);
    if (!codebase) throw unknownCodebaseError(workspace, name);
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

/**
 * What `restart` and `wait` say when what they act on is not running, the same words whether the
 * supervisor runs (the workspace has nothing running) or not (nothing runs at all).
 */
export function nothingRunningError(command: "restart" | "wait", asked: readonly string[]): BerthError {
  const what = asked.length > 0 ? asked.join(", ") : "this workspace";
  return new BerthError("BERTH_NOT_RUNNING", `nothing of ${what} is running`, {
    hint: command === "wait" ? "start it with `berth up -d`, then `berth wait`" : "start it with `berth up`",
  });
}

import { BerthError } from "../../errors/index.js";
import { stopProcesses } from "../../processes/index.js";
import { ownedProcesses } from "../../up/index.js";
import type { Handler } from "../handler.js";
import { releaseServers } from "./release-servers.js";

export const down: Handler<"down"> = async (daemon, params, { emit }) => {
  const { registry, workspaces } = daemon;
  const all = params.all === true;
  const codebases = params.codebases ?? [];
  // An up of the same workspace still starting would only be undone: it is cancelled, and says so.
  const root = all ? undefined : (await workspaces.running(params.root))?.root.dir;
  const cancelled: string[] = [];
  for (const up of daemon.ups) {
    if (root !== undefined && up.root !== root) continue;
    up.controller.abort(new BerthError("BERTH_CANCELLED", "cancelled by `berth down`"));
    cancelled.push(`berth up in ${up.root}`);
  }
  if (cancelled.length > 0) emit({ type: "cancelled", what: cancelled });
  return daemon.serialised("berth down", emit, async () => {
    const workspace = all ? undefined : await workspaces.running(params.root);
    const processes = all
      ? registry.all()
      : [
          ...new Set([
            ...workspaces.processesOf(workspace, codebases),
            ...ownedProcesses(registry, workspace, codebases),
          ]),
        ];
    const started = performance.now();
    const stopped = await stopProcesses(registry, processes);
    // A codebase with a process still running (one of its processes was named) keeps its servers.
    const stillRunning = new Set(registry.all().map(({ spec }) => spec.dir));
    const dirs = [
      ...workspaces.dirsOf(workspace, codebases),
      ...processes.map(({ spec }) => spec.dir),
    ].filter((dir) => !stillRunning.has(dir));
    if (!all)
      stopped.push(...(await releaseServers(daemon, [...new Set(dirs)], params.keepServers === true)));
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (all) setImmediate(() => void daemon.close());
    else await daemon.followers.settle();
    return { stopped, ms };
  });
};

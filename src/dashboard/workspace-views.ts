import { basename } from "node:path";
import { graph } from "../api/graph.js";
import type { DashboardHost } from "../supervisor/index.js";
import type { WorkspaceView } from "./types.js";

/** Every workspace brought up since the supervisor started: its codebase graph and its last `up`'s steps. */
export async function workspaceViews(host: DashboardHost): Promise<WorkspaceView[]> {
  const followed = new Set(host.followed());
  return Promise.all(
    host.observers.roots().map(async (root) => {
      const drawn = await graph({ root, home: host.home }).catch(() => undefined);
      return {
        root,
        name: drawn?.root ?? basename(root),
        // A manifest broken since is drawn empty: the steps and the logs say what went wrong.
        graph: drawn ?? { root: basename(root), codebases: [], edges: [] },
        steps: host.observers.steps(root),
        watching: followed.has(root),
      };
    }),
  );
}

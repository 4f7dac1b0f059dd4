import { assertKnownTargets } from "../../graph/index.js";
import type { Handler } from "../handler.js";

export const watching: Handler<"watching"> = async (daemon, params) => {
  if (params.root === undefined) return daemon.followers.describe();
  const workspace = await daemon.workspaces.of(params.root);
  if (!workspace) return [];
  const names = params.codebases ?? [];
  assertKnownTargets(workspace, names);
  return daemon.followers.describe(workspace.root.dir).map((followed) => ({
    ...followed,
    folders: followed.folders.filter((folder) => names.length === 0 || names.includes(folder.codebase)),
  }));
};

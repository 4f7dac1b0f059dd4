import { externalStatuses } from "../../up/index.js";
import type { Handler } from "../handler.js";

/** Tries the workspace's externals once (none when its manifest does not load). */
export const externals: Handler<"externals"> = async (daemon, params) => {
  const workspace = await daemon.workspaces.of(params.root).catch(() => undefined);
  return workspace ? externalStatuses(workspace, daemon.registry.home, params.env) : [];
};

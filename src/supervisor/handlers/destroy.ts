import { destroyCodebases } from "../../providers/index.js";
import type { Handler } from "../handler.js";
import { releaseServers } from "./release-servers.js";

export const destroy: Handler<"destroy"> = async (daemon, params, { emit }) =>
  daemon.serialised("berth destroy", emit, async () => {
    const codebases = params.codebases ?? [];
    const workspace = await daemon.workspaces.at(params.root);
    daemon.workspaces.processesOf(workspace, codebases); // refuses a name the workspace does not have
    const result = await destroyCodebases(daemon, workspace, codebases);
    await releaseServers(daemon, daemon.workspaces.dirsOf(workspace, codebases), false);
    await daemon.followers.settle();
    return result;
  });

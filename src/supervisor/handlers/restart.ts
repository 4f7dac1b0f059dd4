import { nothingRunningError } from "../../graph/index.js";
import { restartFromManifest } from "../../up/index.js";
import type { Handler } from "../handler.js";

export const restart: Handler<"restart"> = async (daemon, params, { emit }) =>
  daemon.serialised(`berth restart ${params.target}`, emit, async () => {
    const workspace = await daemon.workspaces.of(params.root);
    const processes = daemon.workspaces.processesOf(workspace, [params.target]);
    if (!workspace || processes.length === 0) throw nothingRunningError("restart", [params.target]);
    await daemon.followers.resume(
      workspace.root.dir,
      processes.map((process) => process.name),
    );
    return restartFromManifest(
      {
        registry: daemon.registry,
        servers: daemon.servers,
        workspace,
        hostEnv: params.env,
        trustAll: params.trustAll,
      },
      processes,
    );
  });

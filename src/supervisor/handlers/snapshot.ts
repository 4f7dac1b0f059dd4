import { BerthError } from "../../errors/index.js";
import { restoreSnapshot, type SnapshotContext, saveSnapshot } from "../../snapshots/index.js";
import { refreshRunning, up } from "../../up/index.js";
import type { Daemon, Handler } from "../handler.js";
import type { SnapshotParams } from "../protocol.js";

// A save whose client went away (Ctrl-C) stops its dumps and keeps nothing; a restore, once begun, is
// finished, as a database half restored is worse than either state.

export const snapshotSave: Handler<"snapshot-save"> = async (daemon, params, { emit, connection }) => {
  const cancel = new AbortController();
  connection.socket.once("close", () => cancel.abort());
  return daemon.serialised(`berth snapshot save ${params.name}`, emit, async () =>
    saveSnapshot(await snapshotContext(daemon, params), params.name, params.codebases ?? [], cancel.signal),
  );
};

export const snapshotRestore: Handler<"snapshot-restore"> = async (daemon, params, { emit }) =>
  daemon.serialised(`berth snapshot restore ${params.name}`, emit, async () =>
    restoreSnapshot(await snapshotContext(daemon, params), params.name),
  );

/** What a snapshot save or restore of a request's workspace needs: claims made by an up that runs no task. */
async function snapshotContext(daemon: Daemon, params: SnapshotParams): Promise<SnapshotContext> {
  const { root, env, trustAll } = params;
  const workspace = await daemon.workspaces.at(root);
  const quiet = () => daemon.upContext(() => {}, new AbortController().signal);
  return {
    home: daemon.registry.home,
    workspace,
    servers: daemon.servers,
    ensureClaims: async (codebases) => {
      const result = await up(quiet(), { root, codebases: [...codebases], env, trustAll, only: [] });
      if (!result.ok)
        throw new BerthError(
          "BERTH_SERVERS_DOWN",
          `the databases could not be started: ${result.failed?.message ?? "unknown"}`,
          { hint: result.failed?.hint },
        );
    },
    restart: (codebases) => refreshRunning(quiet(), { root, env, trustAll }, workspace, codebases),
  };
}

import { setMaxListeners } from "node:events";
import { BerthError } from "../../errors/index.js";
import { exposureSettled, holdExposureLooks, stopProcesses } from "../../processes/index.js";
import { upThenRefresh } from "../../up/index.js";
import type { Daemon, Emit, Handler } from "../handler.js";
import type { Params } from "../protocol.js";

export const up: Handler<"up"> = async (daemon, params, { emit: toClient, connection }) => {
  const { registry } = daemon;
  const controller = new AbortController();
  // Every running task and awaited readiness listens for a cancel.
  setMaxListeners(0, controller.signal);
  connection.cancel = controller;
  const { root } = params;
  // A client that shows no output (`up -d`) is not sent every line the processes print while they start.
  const emit: Emit = params.lines === false ? (event) => event.type !== "line" && toClient(event) : toClient;
  // Only this workspace's processes are streamed: the supervisor runs every workspace of the state folder.
  const workspace = await daemon.workspaces.at(root).catch(() => undefined);
  const ours = workspace ? daemon.workspaces.belongsTo(workspace) : () => false;
  const unlisten = registry.listen((event, process) => (!process || ours(process)) && emit(event));
  const pending = { controller, root: workspace?.root.dir ?? root };
  daemon.ups.add(pending);
  // Its steps are remembered and told to observers (the dashboard) as well as to its own client.
  const upEmit: Emit = (event) => {
    if (workspace) daemon.observers.upEvent(pending.root, event);
    emit(event);
  };
  const releaseLooks = holdExposureLooks();
  try {
    const result = await daemon.serialised(`berth up in ${root}`, emit, () => {
      if (workspace) daemon.observers.upBegan(pending.root, ours, params.trustAll);
      return upThenRefresh(daemon.upContext(upEmit, controller.signal), {
        root,
        codebases: params.codebases,
        env: params.env,
        trustAll: params.trustAll,
        ...(params.force ? { force: params.force } : {}),
        ...(params.only ? { only: params.only } : {}),
        ...(params.run ? { run: params.run } : {}),
        reset: params.reset === true,
      });
    });
    // A process that listens beyond loopback is said before the result, so `up -d` shows it too; the look
    // (a process, `ss`) runs while the edits are set to be followed.
    releaseLooks();
    await Promise.all([
      exposureSettled(),
      params.only || params.run ? undefined : followEdits(daemon, workspace?.root.dir ?? root, params),
    ]);
    if (params.follow && result.ok) {
      emit({ type: "up", result });
      // Attached: stream logs until the client cancels (stopping what it started) or goes away.
      await new Promise<void>((resolve) => {
        controller.signal.addEventListener("abort", () => resolve(), { once: true });
        connection.socket.once("close", () => resolve());
      });
      if (controller.signal.aborted) {
        const started = new Set(result.started);
        unlisten();
        // Read when its turn comes: a `down` before it may have stopped them already.
        await daemon.serialised("stopping an attached berth up", emit, () =>
          stopProcesses(
            registry,
            registry.all().filter((process) => started.has(process.name)),
          ),
        );
        await daemon.followers.settle();
        const reason = controller.signal.reason;
        if (reason instanceof BerthError)
          return { ...result, ok: false, failed: { step: "up", message: reason.message, lines: [] } };
      }
    }
    return result;
  } finally {
    releaseLooks();
    unlisten();
    daemon.ups.delete(pending);
  }
};

/**
 * After an `up`, its workspace's edits are followed (unless `--no-watch`): what it runs, and the tasks and
 * manifests of what it brought up, are watched before the `up` answers, so the next save is seen.
 */
async function followEdits(daemon: Daemon, root: string, params: Params<"up">): Promise<void> {
  const { codebases, env, trustAll } = params;
  await daemon.followers.follow(root, { codebases, env, trustAll, watch: params.watch !== false });
  await daemon.followers.settle();
}

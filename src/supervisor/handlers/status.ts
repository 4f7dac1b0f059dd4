import {
  exposedListeners,
  groupRss,
  type ProcessStatus,
  type SupervisedProcess,
} from "../../processes/index.js";
import { ownedProcesses } from "../../up/index.js";
import type { Daemon, Handler } from "../handler.js";

export const status: Handler<"status"> = async (daemon, params) => {
  const processes =
    params.root !== undefined && params.all !== true
      ? await workspaceProcesses(daemon, params.root)
      : daemon.registry.all();
  return (await describeProcesses(processes)).sort((a, b) =>
    `${a.codebase}/${a.process}`.localeCompare(`${b.codebase}/${b.process}`),
  );
};

/** Each process's status, in the order given, with its group's memory and where it listens beyond loopback. */
export async function describeProcesses(processes: readonly SupervisedProcess[]): Promise<ProcessStatus[]> {
  const rss = groupRss(new Set(processes.flatMap((process) => (process.pid ? [process.pid] : []))));
  const exposed = await exposedListeners(
    new Map(processes.flatMap(({ pid, instance }) => (pid ? [[pid, instance]] : []))),
  );
  return processes.map((process) => process.status(rss, exposed));
}

/** A workspace's own processes and the servers its codebases claim. */
async function workspaceProcesses(daemon: Daemon, root: string) {
  const { registry, workspaces } = daemon;
  const workspace = await workspaces.running(root);
  const own = [
    ...new Set([...workspaces.processesOf(workspace, []), ...ownedProcesses(registry, workspace, [])]),
  ];
  const dirs = new Set(workspaces.dirsOf(workspace, []));
  const servers = [...daemon.serverUsers.entries()]
    .filter(([, users]) => [...users].some((dir) => dirs.has(dir)))
    .flatMap(([key]) => {
      const record = daemon.servers.server(key);
      const server = record && registry.get(record.dataDir, "server");
      return server ? [server] : [];
    });
  return [...servers, ...own];
}

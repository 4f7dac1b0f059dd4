import { type SupervisedProcess, stopProcesses } from "../../processes/index.js";
import type { Daemon } from "../handler.js";

/** The codebases are down: servers no running workspace claims any more stop, unless kept. */
export async function releaseServers(
  daemon: Daemon,
  dirs: readonly string[],
  keep: boolean,
): Promise<string[]> {
  const idle: SupervisedProcess[] = [];
  for (const [key, users] of daemon.serverUsers) {
    for (const dir of dirs) users.delete(dir);
    if (users.size > 0 || keep) continue;
    const record = daemon.servers.server(key);
    const process = record && daemon.registry.get(record.dataDir, "server");
    if (process) idle.push(process);
    daemon.serverUsers.delete(key);
  }
  return stopProcesses(daemon.registry, idle);
}

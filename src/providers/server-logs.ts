import type { LogOwner } from "../logs/index.js";
import { codebaseLogsDir } from "../logs/index.js";
import { JsonTable } from "../state/index.js";

/**
 * The logs of the provider servers that these codebase folders claim (`postgres@15`), as `berth status`
 * lists them: read from the state folder, so `logs` needs no supervisor.
 */
export function serverLogOwners(home: string, consumerDirs: readonly string[]): LogOwner[] {
  const claims = new JsonTable<{ server: string }>(home, "provider-claims.json").all();
  const servers = new JsonTable<{ dataDir: string }>(home, "servers.json").all();
  const keys = new Set<string>();
  for (const [key, claim] of Object.entries(claims)) {
    const dir = key.slice(0, key.lastIndexOf("#"));
    if (consumerDirs.includes(dir)) keys.add(claim.server);
  }
  return [...keys].sort().flatMap((key) => {
    const server = servers[key];
    return server ? [{ codebase: key, logsDir: codebaseLogsDir(home, key, server.dataDir) }] : [];
  });
}

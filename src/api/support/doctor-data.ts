import { existsSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "../../processes/index.js";
import { LOCK_FILES, leftoverServer, lockHolder, orphanDataFolders, Servers } from "../../providers/index.js";
import type { Check } from "../doctor.js";

/**
 * The servers' data: servers left running by a supervisor that died (they hold their data folder and
 * port), lock files of servers that are gone, and data folders whose state folder was removed.
 */
export function dataChecks(home: string, supervised: ReadonlySet<number>): Check[] {
  const checks: Check[] = [];
  const servers = existsSync(home) ? new Servers(home).allServers() : [];
  for (const server of servers) {
    const leftover = leftoverServer(server);
    if (leftover && !supervised.has(leftover.pid)) {
      checks.push({
        name: "leftover",
        ok: false,
        detail: `${server.key} runs without a supervisor (pid ${leftover.pid}) and holds ${server.dataDir}`,
        fix: `\`berth up\` stops it and starts it again; or stop it: kill ${leftover.pid}`,
      });
      continue;
    }
    for (const lock of LOCK_FILES) {
      const file = join(server.dataDir, lock);
      const pid = lockHolder(file);
      if (pid !== undefined && !processAlive(pid))
        checks.push({
          name: "stale lock",
          ok: false,
          detail: `${file} names pid ${pid}, which is gone`,
          fix: `rm ${file} (the server left it when it was killed)`,
        });
    }
  }
  const pidFile = join(home, "supervisor.pid");
  const supervisor = lockHolder(pidFile);
  if (supervisor !== undefined && !processAlive(supervisor))
    checks.push({
      name: "stale lock",
      ok: false,
      detail: `${pidFile} names pid ${supervisor}, which is gone: the supervisor was killed`,
      fix: `rm ${pidFile} (the next command starts a supervisor, and stops what the killed one left running)`,
    });
  if (checks.length === 0)
    checks.push({ name: "servers", ok: true, detail: "no leftover server or stale lock" });
  for (const orphan of orphanDataFolders(home)) {
    checks.push({
      name: "orphaned data",
      ok: false,
      optional: true,
      detail:
        orphan.home === undefined
          ? `${orphan.dir} (of a state folder Berth did not record)`
          : `${orphan.dir} (of the removed state folder ${orphan.home})`,
      fix:
        orphan.home === undefined
          ? `if its data is not needed: rm -rf ${orphan.dir}`
          : "`berth destroy --orphans --yes` deletes it",
    });
  }
  return checks;
}

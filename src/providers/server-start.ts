import { existsSync } from "node:fs";
import { BerthError } from "../errors/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { portTaken } from "../processes/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "./implementations.js";
import { hasData, keepServer } from "./kept-beside-data.js";
import { templatesRoot } from "./places.js";
import {
  clearStaleLocks,
  dataFolderHolder,
  leftoverServer,
  portTakenBy,
  serverFailed,
  stopLeftover,
} from "./server-leftover.js";
import { type ServerRecord, type Servers, secret } from "./servers.js";

/**
 * Starts a provider server (initialising its data the first time) unless it runs; resolves once it
 * answers. A cancelled start stops before the next step that takes long (initialising, starting).
 */
export async function startServer(
  servers: Servers,
  record: ServerRecord,
  registry: Registry,
  signal?: AbortSignal,
): Promise<SupervisedProcess> {
  const running = registry.get(record.dataDir, "server");
  if (running && ["starting", "ready", "backoff"].includes(running.state)) {
    await running.whenReady(signal);
    return running;
  }
  const provider = PROVIDER_IMPLEMENTATIONS[record.kind];
  const installation = {
    kind: record.kind,
    version: record.version,
    bin: record.bin,
    source: record.source,
  };
  let current = record;
  // A data folder removed by hand is made again; one Berth has no record of is never initialised over. A
  // server that keeps no data (memcached) has an empty folder: made once, not again at each start (which
  // would give it a new epoch, and so make every claim on it again).
  const inPlace = provider.holdsData ? hasData(record.dataDir) : existsSync(record.dataDir);
  const initialised = record.initialised && inPlace;
  if (!initialised && !record.initialised && hasData(record.dataDir)) throw notOurs(record);
  if (!initialised) {
    signal?.throwIfAborted();
    const adminPassword = await provider.initialise(
      installation,
      record.dataDir,
      record.adminPassword,
      servers.runAs,
      templatesRoot(servers.runAs),
    );
    current = {
      ...record,
      adminPassword: adminPassword || record.adminPassword,
      epoch: secret(),
      initialised: true,
    };
    servers.rememberServer(current);
  }
  keepServer(current);
  const portInUse = await portTaken(current.port);
  const leftover = portInUse ? leftoverServer(current) : dataFolderHolder(current);
  if (leftover) await stopLeftover(leftover.pid);
  else if (portInUse) {
    const taken = portTakenBy(current);
    if (taken) throw taken;
  }
  clearStaleLocks(current.dataDir);
  provider.prepare?.(current, servers.runAs);
  signal?.throwIfAborted();
  const { argv, env } = provider.command(installation, current, servers.runAs);
  const process = registry.add({
    codebase: record.key,
    process: "server",
    dir: current.dataDir,
    command: argv,
    env: { PATH: globalThis.process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...env },
    port: current.port,
    probe: undefined,
    ping: () => provider.ping(current),
    runAs: servers.runAs,
    // A server that cannot start says why at once, rather than after five tries.
    restart: "no",
    stopTimeoutMs: 10_000,
    probeIntervalMs: 100,
    probeTimeoutMs: 60_000,
    startPeriodMs: 0,
    hash: record.key,
    requires: [],
    // A server may log a statement that carries a password (a failed CREATE ROLE): never kept in its log.
    secrets: [current.adminPassword, ...servers.claimPasswords(record.key)],
    bindsLoopback: true,
  });
  servers.track(record.key, process);
  process.start();
  try {
    await process.whenReady(signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw serverFailed(current, process, error);
  }
  return process;
}

/** Data Berth has no record of: never initialised over, never guessed at. */
function notOurs(record: ServerRecord): BerthError {
  return new BerthError(
    "BERTH_DATA_EXISTS",
    `${record.key} has a data folder Berth has no record of, and will not initialise over it: ${record.dataDir}`,
    {
      hint: `if its data is not needed, remove it on purpose (rm -rf ${record.dataDir}), then run the command again`,
    },
  );
}

import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { Registry } from "../processes/index.js";
import { stopProcesses } from "../processes/index.js";
import type { Workspace } from "../workspace/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "./implementations.js";
import { leftoverServer, stopLeftover } from "./server-leftover.js";
import type { ClaimRecord, Servers } from "./servers.js";

/** What `destroy` works with: the supervisor's processes and servers. */
export interface DestroyContext {
  registry: Registry;
  servers: Servers;
  serverUsers: Map<string, Set<string>>;
}

/**
 * `berth destroy`: the named codebases' provider claims (database and user, Redis db and user, memcached
 * keys) and declared data folders are deleted; a server no claim uses any more goes with its data folder.
 * The codebases' processes are stopped first. A database another codebase also claims (the same
 * `database:`) is kept, and said so. Resolves to what was deleted and what was kept, one line each.
 */
export async function destroyCodebases(
  context: DestroyContext,
  workspace: Workspace,
  names: readonly string[],
): Promise<{ deleted: string[]; kept: string[] }> {
  const { registry, servers } = context;
  const codebases = [...workspace.codebases.values()].filter(
    (codebase) => names.length === 0 || names.includes(codebase.name),
  );
  const dirs = new Set(codebases.map((codebase) => codebase.dir));
  await stopProcesses(
    registry,
    registry.all().filter((process) => dirs.has(process.spec.dir)),
  );
  const deleted: string[] = [];
  const kept: string[] = [];
  /** Servers started only to drop claims: stopped again unless a running codebase uses them. */
  const startedHere = new Set<string>();
  const claims = servers.allClaims();
  const destroying = new Set(
    codebases.flatMap((codebase) =>
      Object.keys(codebase.loaded.manifest.requires ?? {}).map((alias) => `${codebase.dir}#${alias}`),
    ),
  );
  for (const codebase of codebases) {
    for (const alias of Object.keys(codebase.loaded.manifest.requires ?? {})) {
      const claim = claims[`${codebase.dir}#${alias}`];
      const server = claim && servers.server(claim.server);
      if (!claim || !server) continue;
      const sharer = Object.entries(claims).find(
        ([other, record]) => !destroying.has(other) && sameData(record, claim),
      );
      if (sharer) {
        kept.push(
          `${codebase.name}/${alias}: ${describe(claim)} (also claimed by ${sharer[0].split("#")[0]})`,
        );
        continue;
      }
      if (server.initialised) {
        if (!registry.get(server.dataDir, "server")?.running) startedHere.add(server.key);
        await servers.start(server, registry);
        await PROVIDER_IMPLEMENTATIONS[server.kind].drop(servers.server(server.key) ?? server, claim.grant);
      }
      servers.forgetClaim(codebase.dir, alias);
      deleted.push(`${codebase.name}/${alias}: ${describe(claim)} on ${server.key}`);
    }
    for (const folder of codebase.loaded.manifest.data ?? []) {
      const path = join(codebase.dir, folder);
      const inside = relative(codebase.dir, path);
      if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) continue;
      if (!isNonEmpty(path)) continue;
      rmSync(path, { recursive: true, force: true });
      mkdirSync(path, { recursive: true });
      deleted.push(`${codebase.name}: the content of its data folder ${folder}`);
    }
  }
  deleted.push(...(await dropIdleServers(context)));
  const unused = [...startedHere]
    .filter((key) => (context.serverUsers.get(key)?.size ?? 0) === 0)
    .flatMap((key) => {
      const server = servers.server(key);
      const process = server && registry.get(server.dataDir, "server");
      return process ? [process] : [];
    });
  await stopProcesses(registry, unused);
  return { deleted, kept };
}

/** Servers no claim of this state folder uses any more: stopped, and their data folders removed. */
async function dropIdleServers(context: DestroyContext): Promise<string[]> {
  const { registry, servers } = context;
  const used = new Set(Object.values(servers.allClaims()).map((claim) => claim.server));
  const deleted: string[] = [];
  for (const server of servers.allServers()) {
    if (used.has(server.key)) continue;
    const running = registry.get(server.dataDir, "server");
    if (running) await stopProcesses(registry, [running]);
    const leftover = leftoverServer(server);
    if (leftover) await stopLeftover(leftover.pid);
    context.serverUsers.delete(server.key);
    servers.forgetServer(server.key);
    deleted.push(`${server.key}: its data folder ${server.dataDir} (no claim left on it)`);
  }
  return deleted;
}

/** Two claims on the same database (postgres, mysql: `database:`) share their data. */
function sameData(a: ClaimRecord, b: ClaimRecord): boolean {
  if (a === b || a.server !== b.server) return false;
  return a.grant.database !== undefined && a.grant.database === b.grant.database;
}

function describe(claim: ClaimRecord): string {
  return PROVIDER_IMPLEMENTATIONS[claim.kind].describe(claim.grant);
}

function isNonEmpty(path: string): boolean {
  try {
    return readdirSync(path).length > 0;
  } catch {
    return false;
  }
}

import { mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readJsonFile } from "../state/index.js";
import type { ClaimRecord, ServerRecord } from "./servers.js";

/**
 * What a server's data needs to be used again, kept beside its data folder (0600) rather than only in the
 * state folder: its admin password, port and epoch, and the grants of its claims. When the state folder is
 * removed while the data lives on (in /var/lib/berth, servers run as the `berth` account), the next `up`
 * adopts the data with these instead of initialising over it.
 */
export interface KeptBesideData {
  server: ServerRecord;
  claims: Record<string, ClaimRecord>;
  /** The keys of the tasks last done on this data (`<codebase folder>#<task>`), so they are not done again. */
  tasks?: Record<string, string>;
}

export function keptFile(dataDir: string): string {
  return join(dirname(dataDir), `${dataDir.split("/").at(-1)}.berth.json`);
}

export function readKept(dataDir: string): KeptBesideData | undefined {
  return readJsonFile<KeptBesideData | undefined>(keptFile(dataDir), undefined);
}

export function keepServer(server: ServerRecord): void {
  const kept = readKept(server.dataDir);
  // Kept as it is at every start: not written again (a rename a busy disk makes a server's start wait for).
  if (kept && JSON.stringify(kept.server) === JSON.stringify(server)) return;
  write(server.dataDir, { ...kept, server, claims: kept?.claims ?? {} });
}

export function keepClaim(server: ServerRecord, key: string, claim: ClaimRecord | undefined): void {
  const kept = readKept(server.dataDir) ?? { server, claims: {} };
  if (claim) kept.claims[key] = claim;
  else delete kept.claims[key];
  write(server.dataDir, kept);
}

export function keepTask(server: ServerRecord, dirAndTask: string, key: string): void {
  const kept = readKept(server.dataDir) ?? { server, claims: {} };
  kept.tasks = { ...kept.tasks, [dirAndTask]: key };
  write(server.dataDir, kept);
}

/** Whether a data folder holds anything: an empty or missing one may be initialised. */
export function hasData(dataDir: string): boolean {
  try {
    return readdirSync(dataDir).length > 0;
  } catch {
    return false;
  }
}

/** Atomic and 0600, in a folder left as it is: the servers' root must stay enterable by the server's account. */
function write(dataDir: string, kept: KeptBesideData): void {
  const file = keptFile(dataDir);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

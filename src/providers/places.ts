import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { RunAs } from "./types.js";

/**
 * Where servers keep their data. Normally `$BERTH_HOME/servers`. When servers run as the `berth` account
 * (Berth runs as root), the account cannot enter root's home, so the data lives in /var/lib/berth, one
 * folder per state folder; folders on the way are enterable (0711), not listable.
 */
export function serversRoot(home: string, runAs: RunAs | undefined): string {
  if (!runAs) return join(home, "servers");
  const root = join(SHARED_ROOT, hashOf(home));
  enterable(SHARED_ROOT);
  enterable(root);
  // Whose data this is, for `doctor` and `destroy --orphans` once that state folder is gone.
  const owner = join(root, OWNER_FILE);
  if (!existsSync(owner)) writeFileSync(owner, `${home}\n`, { mode: 0o600 });
  return root;
}

const SHARED_ROOT = "/var/lib/berth";
const hashOf = (home: string) => createHash("sha256").update(home).digest("hex").slice(0, 12);
const OWNER_FILE = "state-folder";

/** A folder of servers' data in /var/lib/berth whose state folder no longer exists (or is not known). */
export interface OrphanData {
  dir: string;
  /** The state folder it belonged to; undefined for a folder made before Berth recorded it. */
  home: string | undefined;
}

/** Folders of servers' data in /var/lib/berth whose state folder no longer exists, or is not recorded. */
export function orphanDataFolders(currentHome: string): OrphanData[] {
  let entries: string[];
  try {
    entries = readdirSync(SHARED_ROOT);
  } catch {
    return [];
  }
  const orphans: OrphanData[] = [];
  for (const entry of entries) {
    const dir = join(SHARED_ROOT, entry);
    if (entry === hashOf(currentHome)) continue;
    let home: string | undefined;
    try {
      home = readFileSync(join(dir, OWNER_FILE), "utf8").trim();
    } catch {
      home = undefined;
    }
    if (home === undefined || !existsSync(home)) orphans.push({ dir, home });
  }
  return orphans;
}

/** Where initialised data folders are cached as templates, shared by every state folder of the user. */
export function templatesRoot(runAs: RunAs | undefined): string {
  if (process.env.BERTH_CACHE) return join(process.env.BERTH_CACHE, "templates");
  if (runAs) return enterable("/var/cache/berth/templates");
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "berth", "templates");
}

function enterable(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  return dir;
}

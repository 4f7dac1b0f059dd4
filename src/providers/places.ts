import { createHash } from "node:crypto";
import { chmodSync, mkdirSync } from "node:fs";
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
  const root = join("/var/lib/berth", createHash("sha256").update(home).digest("hex").slice(0, 12));
  enterable("/var/lib/berth");
  enterable(root);
  return root;
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

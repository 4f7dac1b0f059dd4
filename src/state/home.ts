import { chmodSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The user's state folder: `$BERTH_HOME`, else `$XDG_STATE_HOME/berth`, else `~/.local/state/berth`.
 * Everything under it is the user's alone (0700).
 */
export function berthHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_HOME) return env.BERTH_HOME;
  const stateHome = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(stateHome, "berth");
}

/** Creates a private folder (and its parents) if missing and returns it. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

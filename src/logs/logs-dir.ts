import { createHash } from "node:crypto";
import { join } from "node:path";

/** Where a codebase's logs live: named for the codebase, told apart by its folder. */
export function codebaseLogsDir(home: string, name: string, dir: string): string {
  return join(home, "logs", `${name}-${createHash("sha256").update(dir).digest("hex").slice(0, 8)}`);
}

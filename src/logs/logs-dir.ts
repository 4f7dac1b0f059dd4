import { join } from "node:path";
import { codebaseFolderName } from "../state/index.js";

/** Where a codebase's logs live: named for the codebase, told apart by its folder. */
export function codebaseLogsDir(home: string, name: string, dir: string): string {
  return join(home, "logs", codebaseFolderName(name, dir));
}

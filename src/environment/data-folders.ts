import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Codebase } from "../workspace/index.js";

/** Creates the codebase's `data:` folders (0700) that do not exist yet, so its tasks and processes find them. */
export function createDataFolders(codebase: Codebase): void {
  for (const folder of codebase.loaded.manifest.data ?? [])
    mkdirSync(resolve(codebase.dir, folder), { recursive: true, mode: 0o700 });
}

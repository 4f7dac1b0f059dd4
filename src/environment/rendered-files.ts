import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codebaseFolderName } from "../state/index.js";
import type { Codebase } from "../workspace/index.js";
import type { Environment } from "./environment.js";

/** Where a codebase's `files:` entry is rendered: in the state folder, one folder per codebase. */
export function renderedFilePath(
  home: string,
  codebase: { name: string; dir: string },
  name: string,
): string {
  return join(home, "files", codebaseFolderName(codebase.name, codebase.dir), name);
}

/** Renders every `files:` template of a codebase; writes only what changed. */
export function renderFiles(home: string, codebase: Codebase, environment: Environment): void {
  for (const file of codebase.loaded.files) {
    const path = renderedFilePath(home, codebase, file.name);
    const text = environment.render(codebase.name, file.parts);
    let current: string | undefined;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
    writeFileSync(path, text, { mode: 0o600 });
  }
}

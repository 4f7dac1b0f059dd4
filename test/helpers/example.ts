import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runtimeWorkspace } from "./runtime.js";

const examples = join(import.meta.dirname, "..", "..", "examples");

/** A workspace holding a copy of the bundled example, without its installed packages. */
export function exampleWorkspace(files: Record<string, string> = {}) {
  const workspace = runtimeWorkspace(files);
  for (const codebase of readdirSync(examples)) {
    cpSync(join(examples, codebase), join(workspace.dir, codebase), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  }
  return workspace;
}

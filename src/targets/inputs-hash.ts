import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import type { Env } from "./model.js";

/**
 * What a one-shot is named by on an engine that keeps finished ones (a Kubernetes Job): its command, its
 * env as written (secrets as their names, not their values) and the bytes of the files its `inputs` match.
 */
export function inputsHash(dir: string, inputs: readonly string[], command: unknown, env: Env): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ command, env }));
  const files =
    inputs.length > 0 ? globSync([...inputs], { cwd: dir, dot: true, ignore: ["**/node_modules/**"] }) : [];
  for (const file of files.sort()) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(join(dir, file)));
  }
  return hash.digest("hex");
}

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import { JsonTable } from "./index.js";

/**
 * A task is skipped when its key is unchanged: its command, its env, the content of its `inputs`, and the
 * identity of the claimed data it works on (a recreated database is new data, so migrate and seed re-run).
 */
export function taskKey(parts: {
  command: unknown;
  env: Record<string, string>;
  dir: string;
  inputs: readonly string[] | undefined;
  data: readonly string[];
}): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ command: parts.command, env: parts.env, data: [...parts.data].sort() }));
  if (parts.inputs && parts.inputs.length > 0) {
    const files = globSync([...parts.inputs], {
      cwd: parts.dir,
      dot: true,
      onlyFiles: true,
      ignore: ["**/node_modules/**", "**/.git/**"],
    }).sort();
    for (const file of files) {
      hash.update(`\0${file}\0`);
      hash.update(readFileSync(join(parts.dir, file)));
    }
  }
  return hash.digest("hex");
}

/** The keys of the tasks that last succeeded, per codebase folder and task. */
export class TaskCache {
  readonly #table: JsonTable<string>;

  constructor(home: string) {
    this.#table = new JsonTable(home, "tasks.json");
  }

  isFresh(dir: string, task: string, key: string): boolean {
    return this.#table.get(`${dir}#${task}`) === key;
  }

  remember(dir: string, task: string, key: string): void {
    this.#table.set(`${dir}#${task}`, key);
  }
}

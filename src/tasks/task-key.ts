import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import type { Environment } from "../environment/index.js";
import type { Servers } from "../providers/index.js";
import type { Codebase } from "../workspace/index.js";

/**
 * Tasks that write no claimed data: a reset or a restore of the data leaves them done (`install` is minutes
 * of `npm ci` that a new database does not make stale).
 */
const DATA_FREE_TASKS = new Set(["install"]);

/** What a codebase's tasks work on: each claim's server data and generation, and its rendered files. */
function dataIdentity(
  codebase: Codebase,
  environment: Environment,
  servers: Servers,
  withClaims: boolean,
): string[] {
  const identity: string[] = [];
  const claims = withClaims ? Object.keys(codebase.loaded.manifest.requires ?? {}) : [];
  for (const alias of claims) {
    const claim = servers.claimOf(codebase.dir, alias);
    const server = claim && servers.server(claim.server);
    if (claim && server)
      identity.push(
        `${alias}:${server.key}:${server.epoch}:${JSON.stringify(claim.grant)}:${claim.generation}`,
      );
  }
  for (const file of codebase.loaded.files) {
    const rendered = environment.render(codebase.name, file.parts);
    identity.push(`file:${file.name}:${createHash("sha256").update(rendered).digest("hex")}`);
  }
  return identity;
}

/**
 * A task's cache key as of now: its command, env, inputs and data identity (see `taskKey`). Without
 * `claims`, the identity of the claimed data is left out: what a snapshot keeps, to tell at restore
 * whether the task is still the one that made the data it puts back.
 */
export function keyOfTask(
  codebase: Codebase,
  name: string,
  environment: Environment,
  servers: Servers,
  { claims = true }: { claims?: boolean } = {},
): string | undefined {
  const task = codebase.loaded.manifest.tasks?.[name];
  if (!task) return undefined;
  const command =
    task.run === undefined
      ? { snapshot: task.snapshot }
      : environment.command(codebase.name, ["tasks", name, "run"], task.run);
  // A seed's snapshot and a migrate's baseline are inputs too: a new archive is new data to load.
  const archives = [task.snapshot, task.baseline].filter((file): file is string => file !== undefined);
  const inputs = [...(task.inputs ?? []), ...archives];
  return taskKey({
    command,
    env: environment.decidedEnv(codebase.name, "references"),
    dir: codebase.dir,
    inputs,
    data: dataIdentity(codebase, environment, servers, claims && !DATA_FREE_TASKS.has(name)),
    // Only `install` builds with the toolchain (native modules, a venv's packages); re-running a migrate or
    // seed on kept data for a new Node would do harm, and a snapshot's key must not name this machine's folders.
    ...(claims && DATA_FREE_TASKS.has(name) ? { toolchain: environment.toolchainKey(codebase.name) } : {}),
  });
}

/** Whether every path the task says it creates is there: a deleted node_modules means install runs again. */
export function createdPathsExist(codebase: Codebase, name: string): boolean {
  const creates = codebase.loaded.manifest.tasks?.[name]?.creates ?? [];
  return creates.every((path) => existsSync(join(codebase.dir, path)));
}

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
  /** The folders its toolchain chose: an install under Node 18 is not one under Node 20. */
  toolchain?: string;
}): string {
  const hash = createHash("sha256");
  const toolchain = parts.toolchain ? { toolchain: parts.toolchain } : {};
  hash.update(
    JSON.stringify({ command: parts.command, env: parts.env, data: [...parts.data].sort(), ...toolchain }),
  );
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

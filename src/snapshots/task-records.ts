import { knownEnvironment } from "../environment/index.js";
import type { Servers } from "../providers/index.js";
import { TaskCache } from "../state/index.js";
import { keyOfTask } from "../tasks/index.js";
import type { Workspace } from "../workspace/index.js";

/** What the task cache needs of a snapshot save or restore. */
export interface TaskState {
  home: string;
  workspace: Workspace;
  servers: Servers;
}

/** A task that writes claimed data, as the cache names it: `claim:<consumer>` for a claim task. */
interface DataTask {
  codebase: string;
  task: string;
  cacheName: string;
}

/** The tasks whose work a snapshot of `codebases` holds: their migrate and seed, their consumers' claims. */
function dataTasks(workspace: Workspace, codebases: readonly string[]): DataTask[] {
  const tasks: DataTask[] = codebases.flatMap((codebase) =>
    ["migrate", "seed"].map((task) => ({ codebase, task, cacheName: task })),
  );
  for (const dependency of workspace.dependencies) {
    if (!codebases.includes(dependency.from) || dependency.target.kind !== "codebase") continue;
    const provider = dependency.target.name;
    tasks.push({ codebase: provider, task: "claim", cacheName: `claim:${dependency.from}` });
  }
  return tasks;
}

/**
 * At save: each data task that was done on the data being saved, with its key less the data's identity
 * (`<codebase>#<cache name>` → key). A restore compares it with the task as it is then.
 */
export function tasksAtSave(state: TaskState, codebases: readonly string[]) {
  const cache = new TaskCache(state.home);
  const done: Record<string, string> = {};
  for (const { codebase, name, cacheName, key, bare } of keyedDataTasks(state, codebases))
    if (key && bare && cache.isFresh(codebase.dir, cacheName, key)) done[`${name}#${cacheName}`] = bare;
  return done;
}

/**
 * At restore: the restored data stands for what its tasks made, so each task that was done at save and is
 * unchanged since (same command, env and inputs) is recorded as done on it; a migration added since runs on
 * the next `up`. A claim counts only when its outputs were put back (`claims`): else it runs again, as
 * the provider's data changed under it. A snapshot from before this record marks migrate and seed done.
 */
export function markTasksDone(
  state: TaskState,
  codebases: readonly string[],
  saved: Record<string, string> | undefined,
  claims: readonly string[],
): void {
  const cache = new TaskCache(state.home);
  for (const { codebase, name, task, cacheName, key, bare } of keyedDataTasks(state, codebases)) {
    // A claim whose outputs were not put back runs again: the outputs it has may not fit the restored data.
    if (task === "claim" && !claims.includes(cacheName.slice("claim:".length))) {
      cache.forget(codebase.dir, cacheName);
      continue;
    }
    const unchanged = saved === undefined ? task !== "claim" : saved[`${name}#${cacheName}`] === bare;
    if (key && unchanged) cache.remember(codebase.dir, cacheName, key);
  }
}

/** Each data task of `codebases` with its key as it is now, and that key less the data's identity. */
function keyedDataTasks({ home, workspace, servers }: TaskState, codebases: readonly string[]) {
  const environment = knownEnvironment(
    home,
    workspace,
    { codebases: [...workspace.codebases.keys()] },
    servers,
  );
  return dataTasks(workspace, codebases).flatMap(({ codebase: name, task, cacheName }) => {
    const codebase = workspace.codebases.get(name);
    if (!codebase) return [];
    const key = keyOfTask(codebase, task, environment, servers);
    const bare = keyOfTask(codebase, task, environment, servers, { claims: false });
    return [{ codebase, name, task, cacheName, key, bare }];
  });
}

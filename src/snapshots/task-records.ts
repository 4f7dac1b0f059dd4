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
export function tasksAtSave({ home, workspace, servers }: TaskState, codebases: readonly string[]) {
  const environment = knownEnvironment(
    home,
    workspace,
    { codebases: [...workspace.codebases.keys()] },
    servers,
  );
  const cache = new TaskCache(home);
  const done: Record<string, string> = {};
  for (const { codebase: name, task, cacheName } of dataTasks(workspace, codebases)) {
    const codebase = workspace.codebases.get(name);
    const key = codebase && keyOfTask(codebase, task, environment, servers);
    const bare = codebase && keyOfTask(codebase, task, environment, servers, { claims: false });
    if (codebase && key && bare && cache.isFresh(codebase.dir, cacheName, key))
      done[`${name}#${cacheName}`] = bare;
  }
  return done;
}

/**
 * At restore: the restored data stands for what its tasks made, so each task that was done at save and is
 * unchanged since (same command, env and inputs) is recorded as done on it; a migration added since runs on
 * the next `up`. A claim counts only when its outputs were put back (`claims`): else it stays due, as the
 * provider's data changed under it. A snapshot from before this record marks migrate and seed done.
 */
export function markTasksDone(
  { home, workspace, servers }: TaskState,
  codebases: readonly string[],
  saved: Record<string, string> | undefined,
  claims: readonly string[],
): void {
  const environment = knownEnvironment(
    home,
    workspace,
    { codebases: [...workspace.codebases.keys()] },
    servers,
  );
  const cache = new TaskCache(home);
  for (const { codebase: name, task, cacheName } of dataTasks(workspace, codebases)) {
    const codebase = workspace.codebases.get(name);
    if (!codebase) continue;
    if (task === "claim" && !claims.includes(cacheName.slice("claim:".length))) continue;
    const bare = keyOfTask(codebase, task, environment, servers, { claims: false });
    const unchanged = saved === undefined ? task !== "claim" : saved[`${name}#${cacheName}`] === bare;
    const key = keyOfTask(codebase, task, environment, servers);
    if (key && unchanged) cache.remember(codebase.dir, cacheName, key);
  }
}

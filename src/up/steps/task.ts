import { resolve } from "node:path";
import type { StandardTaskStep, TaskStep } from "../../graph/index.js";
import { codebaseLogsDir } from "../../logs/index.js";
import { durationMs } from "../../manifest/index.js";
import { type ClaimData, isEmpty, loadArchive } from "../../snapshots/index.js";
import { createdPathsExist, keyOfTask, runTask } from "../../tasks/index.js";
import type { Codebase } from "../../workspace/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/**
 * Runs a codebase's task unless its key is unchanged (and what it creates is there): a `baseline` is loaded
 * first into empty claims, a task with only a `snapshot` loads it.
 */
export async function runTaskStep(run: UpRun, step: StandardTaskStep | TaskStep): Promise<StepOutcome> {
  const codebase = run.codebase(step.codebase);
  const name = step.kind === "task" ? step.task : step.kind;
  const task = codebase.loaded.manifest.tasks?.[name];
  if (!task) return "skipped";
  const { registry, servers, emit, signal } = run.context;
  const keyNow = (): string => {
    const key = keyOfTask(codebase, name, run.environment, servers);
    if (key === undefined) throw new Error(`bug: ${step.id} has no task ${name}`);
    return key;
  };
  run.prepare(codebase);
  const key = keyNow();
  const fresh = run.cache.isFresh(codebase.dir, name, key) && createdPathsExist(codebase, name);
  if (!run.forced(name, codebase.name) && fresh) return "skipped";
  const claims = run.claimData(codebase);
  if (task.baseline !== undefined) {
    const empty = await Promise.all([...claims.values()].map((claim) => isEmpty(claim)));
    if (empty.every(Boolean))
      await load(run, codebase, resolve(codebase.dir, task.baseline), claims, "baseline");
  }
  if (task.run === undefined) {
    if (task.snapshot === undefined) throw new Error(`bug: task ${name} has neither run nor snapshot`);
    await load(run, codebase, resolve(codebase.dir, task.snapshot), claims, name);
    run.cache.remember(codebase.dir, name, keyNow());
    return "done";
  }
  await runTask({
    codebase: codebase.name,
    task: name,
    command: run.environment.command(codebase.name, ["tasks", name, "run"], task.run),
    dir: codebase.dir,
    env: run.environment.env(codebase.name),
    secrets: run.environment.secrets(codebase.name),
    logsDir: codebaseLogsDir(registry.home, codebase.name, codebase.dir),
    timeoutMs: task.timeout === undefined ? undefined : durationMs(task.timeout, 0),
    emit,
    signal,
    onGroup: {
      start: (pgid) => registry.guardian.watch(pgid),
      end: (pgid) => registry.guardian.forget(pgid),
    },
  });
  // Taken again after the run: the data's identity is read fresh (a reset may have changed it).
  const done = keyNow();
  run.cache.remember(codebase.dir, name, done);
  servers.keepTaskRecord(codebase.dir, name, done);
  return "done";
}

async function load(
  run: UpRun,
  codebase: Codebase,
  archive: string,
  claims: Map<string, ClaimData>,
  what: string,
): Promise<void> {
  const loaded = await loadArchive(archive, codebase.name, claims);
  run.context.emit({
    type: "line",
    codebase: codebase.name,
    name: `task-${what}`,
    stream: "berth",
    line: `loaded ${loaded.join(", ")} from ${archive}`,
    t: Date.now(),
  });
}

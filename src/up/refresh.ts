import { BerthError } from "../errors/index.js";
import type { RuntimeEvent, UpResult } from "../logs/index.js";
import { claimOutputNames } from "../manifest/index.js";
import type { Registry } from "../processes/index.js";
import { stopProcesses } from "../processes/index.js";
import type { Refreshed } from "../snapshots/index.js";
import type { Workspace } from "../workspace/index.js";
import { type UpContext, type UpParams, up } from "./bring-up.js";

/**
 * After the data of `codebases` was replaced (a restore, a reset): their running processes, and those of
 * their running consumers of a codebase claim, are stopped and brought up again by an `up`, so each gets
 * its environment as it now is, and a claim no longer current (the provider's data is new) runs again.
 * Tasks whose data is current stay cached; nothing runs for a codebase that runs nothing.
 */
export async function refreshRunning(
  context: UpContext,
  params: Pick<UpParams, "root" | "env" | "trustAll">,
  workspace: Workspace,
  codebases: readonly string[],
): Promise<Refreshed> {
  const affected = new Set([...codebases, ...claimConsumers(workspace, codebases)]);
  const running = runningOf(context.registry, workspace, affected);
  if (running.length === 0) return { restarted: [], reran: [] };
  const names = [...new Set(running.map(({ codebase }) => codebase))];
  await stopProcesses(
    context.registry,
    running.map(({ process }) => process),
  );
  const reran: string[] = [];
  const emit = (event: RuntimeEvent) => {
    if (event.type === "step" && event.state === "done" && isRerun(workspace, event.step))
      reran.push(event.step);
    context.emit(event);
  };
  const { root, env, trustAll } = params;
  const result = await up({ ...context, emit }, { root, env, trustAll, codebases: names });
  if (!result.ok)
    throw new BerthError(
      "BERTH_REFRESH_FAILED",
      `the data was replaced, but ${result.failed?.step ?? "a step"} failed while starting again: ${result.failed?.message ?? "unknown"}`,
      { hint: result.failed?.hint ?? "see `berth logs`, then `berth up`" },
    );
  return { restarted: result.started, reran };
}

/**
 * `up`, and after a reset (`seed --reset`) what runs on the reset data or reads a claim of it starts again
 * with what is now current (see `refreshRunning`); what that started is counted as started, and what it
 * ran again is said.
 */
export async function upThenRefresh(context: UpContext, params: UpParams): Promise<UpResult> {
  const result = await up(context, params);
  if (!result.ok || !params.reset) return result;
  const workspace = await context.resolve(params.root);
  const reset = params.codebases.length > 0 ? params.codebases : [workspace.root.name];
  const { root, env, trustAll } = params;
  const refreshed = await refreshRunning(context, { root, env, trustAll }, workspace, reset);
  return {
    ...result,
    started: [...result.started, ...refreshed.restarted],
    refreshed: { reran: refreshed.reran, restarted: refreshed.restarted },
  };
}

/** The codebases that read a codebase claim's outputs (as the plan has it) of one of `providers`. */
export function claimConsumers(workspace: Workspace, providers: readonly string[]): string[] {
  return workspace.dependencies
    .filter((dependency) => {
      if (dependency.target.kind !== "codebase" || !providers.includes(dependency.target.name)) return false;
      const provider = workspace.codebases.get(dependency.target.name);
      const outputs = provider ? claimOutputNames(provider.loaded.manifest) : [];
      return workspace.codebases
        .get(dependency.from)
        ?.loaded.pendingExports.some((ref) => ref.alias === dependency.alias && outputs.includes(ref.key));
    })
    .map((dependency) => dependency.from);
}

function runningOf(registry: Registry, workspace: Workspace, codebases: ReadonlySet<string>) {
  const byDir = new Map([...codebases].map((name) => [workspace.codebases.get(name)?.dir, name]));
  return registry
    .all()
    .filter((process) => ["starting", "ready", "backoff"].includes(process.state))
    .flatMap((process) => {
      const codebase = byDir.get(process.spec.dir);
      return codebase ? [{ codebase, process }] : [];
    });
}

/** A codebase claim or a task: what a refresh reports as run again (servers, provider claims and starts are not). */
function isRerun(workspace: Workspace, step: string): boolean {
  const claim = /^claim:([^/]+)\/(.+)$/.exec(step);
  if (claim)
    return workspace.dependencies.some(
      (dependency) =>
        dependency.from === claim[1] &&
        dependency.alias === claim[2] &&
        dependency.target.kind === "codebase",
    );
  return /^(install|migrate|seed):/.test(step) || step.startsWith("task:");
}

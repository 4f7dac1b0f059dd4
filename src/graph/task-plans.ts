import { BerthError } from "../errors/index.js";
import { unknownNameError } from "../manifest/index.js";
import type { Workspace } from "../workspace/index.js";
import {
  type ClaimStep,
  type CodebaseClaimStep,
  type ExternalStep,
  type Plan,
  planUp,
  type Step,
} from "./plan.js";

/** `berth run <codebase> <task>`, with `--for <consumer>` for a claim task. */
export interface RunTask {
  task: string;
  for?: string | undefined;
}

/**
 * The steps for `berth migrate`, `seed` and `run`: the asked tasks of the asked codebases, after what their
 * environment reads, planned as `up` plans it: the servers and provider claims, and each codebase claim with
 * everything before it (the providing codebase's tasks and processes). Steps already done are skipped when
 * they run, as in `up`. With no task to run (the databases of a snapshot), only the provider claims.
 */
export function tasksOnly(
  plan: Plan,
  workspace: Workspace,
  tasks: readonly string[],
  asked: readonly string[],
): Plan {
  const codebases = asked.length > 0 ? asked : [workspace.root.name];
  const taskSteps: Step[] = [];
  const claims: string[] = [];
  for (const codebase of codebases) {
    const declared = tasks.filter((task) => workspace.codebases.get(codebase)?.loaded.manifest.tasks?.[task]);
    let previous = plan.steps
      .filter(
        (step): step is ClaimStep | ExternalStep =>
          (step.kind === "claim" || step.kind === "external") && step.codebase === codebase,
      )
      // With no task to run, only the provider claims (the databases of a snapshot); a task also waits for
      // the codebase's claims of other codebases and its externals, as `up` does.
      .filter((step) => (step.kind === "claim" && step.provider !== undefined) || declared.length > 0)
      .map((step) => step.id);
    claims.push(...previous);
    for (const task of declared) {
      const id = `task:${codebase}/${task}`;
      taskSteps.push({ id, kind: "task", task, codebase, after: previous });
      previous = [id];
    }
  }
  return { codebases: plan.codebases, steps: [...closureOf(plan, claims).steps, ...taskSteps] };
}

/**
 * A task-only plan without the work of the codebase claims that are current (see `claimIsCurrent`): such a
 * claim is only checked, and the providing codebase is not started or migrated for it.
 */
export function withoutWorkOfCurrentClaims(plan: Plan, isCurrent: (step: Step) => boolean): Plan {
  const waitedFor = new Set(plan.steps.flatMap((step) => step.after));
  const wanted = plan.steps.filter((step) => !waitedFor.has(step.id)).map((step) => step.id);
  const steps = plan.steps.map((step) =>
    step.kind === "claim" && step.provider_codebase !== undefined && isCurrent(step)
      ? { ...step, after: [] }
      : step,
  );
  return { codebases: plan.codebases, steps: closureOf({ ...plan, steps }, wanted).steps };
}

/**
 * The steps for `berth run`: a task the codebase declares (an unknown one is an error, not a silent no-op).
 * A claim task registers one consumer, so it runs only for a named consumer, as `up` of that consumer
 * would run it: after everything its claim step waits for, writing that consumer's outputs.
 */
export function runPlan(workspace: Workspace, asked: readonly string[], run: RunTask): Plan {
  const codebase = asked[0] ?? workspace.root.name;
  const full = planUp(workspace, [codebase]);
  const tasks = Object.keys(workspace.codebases.get(codebase)?.loaded.manifest.tasks ?? {});
  if (!tasks.includes(run.task))
    throw unknownNameError({ what: "task", name: run.task, known: tasks, within: `codebase ${codebase}` });
  if (run.task !== "claim") {
    if (run.for !== undefined)
      throw new BerthError("BERTH_USAGE", `--for names the consumer of a claim task, not of ${run.task}`, {
        hint: `run it without --for: \`berth run ${codebase} ${run.task}\``,
      });
    return tasksOnly(full, workspace, [run.task], [codebase]);
  }
  const claimSteps = planUp(workspace, [...workspace.codebases.keys()]).steps.filter(
    (step): step is CodebaseClaimStep => step.kind === "claim" && step.provider_codebase === codebase,
  );
  const consumers = claimSteps.map((step) => step.codebase);
  if (run.for === undefined) {
    throw new BerthError(
      "BERTH_CLAIM_NEEDS_CONSUMER",
      `${codebase}'s claim task registers one consumer at a time; say which with --for`,
      {
        hint:
          consumers[0] === undefined
            ? `no codebase of this workspace reads ${codebase}'s claim outputs`
            : `e.g. \`berth run ${codebase} claim --for ${consumers[0]}\` (its consumers: ${consumers.join(", ")})`,
      },
    );
  }
  const target = claimSteps.find((step) => step.codebase === run.for);
  if (!target)
    throw unknownNameError({
      what: `consumer of ${codebase}'s claim task`,
      name: run.for,
      known: consumers,
      code: "BERTH_UNKNOWN_CONSUMER",
    });
  return closureOf(planUp(workspace, [run.for]), [target.id]);
}

/** The steps and every step they wait for, directly or not, in the plan's order. */
function closureOf(plan: Plan, ids: readonly string[]): Plan {
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const wanted = new Set<string>();
  const visit = (stepId: string): void => {
    if (wanted.has(stepId)) return;
    wanted.add(stepId);
    for (const before of byId.get(stepId)?.after ?? []) visit(before);
  };
  for (const id of ids) visit(id);
  const steps = plan.steps.filter((step) => wanted.has(step.id));
  const codebases = plan.codebases.filter((name) => steps.some((step) => step.codebase === name));
  return { codebases, steps };
}

import { secretClaimOutputs } from "../../environment/index.js";
import { BerthError } from "../../errors/index.js";
import type { CodebaseClaimStep } from "../../graph/index.js";
import { codebaseLogsDir } from "../../logs/index.js";
import { claimOutputNames } from "../../manifest/index.js";
import { ClaimStore } from "../../state/index.js";
import { keyOfTask, runClaimTask } from "../../tasks/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/** Runs the providing codebase's `claim` task for one consumer and keeps the outputs it prints. */
export async function runCodebaseClaim(run: UpRun, step: CodebaseClaimStep): Promise<StepOutcome> {
  const consumer = run.codebase(step.codebase);
  const providing = run.codebase(step.provider_codebase);
  const claim = providing.loaded.manifest.tasks?.claim;
  if (!claim) throw new Error(`bug: claim step ${step.id} without a claim task`);
  if (claimIsCurrent(run, step)) return "skipped";
  const { registry, emit, signal } = run.context;
  const key = claimKey(run, step);
  const outputs = await runClaimTask({
    codebase: providing.name,
    task: "claim",
    consumer: consumer.name,
    outputs: claimOutputNames(providing.loaded.manifest),
    secretOutputs: secretClaimOutputs(providing.loaded.manifest),
    command: run.environment.command(providing.name, ["tasks", "claim", "run"], claim.run ?? "true"),
    dir: providing.dir,
    env: run.environment.env(providing.name),
    secrets: run.environment.secrets(providing.name),
    logsDir: codebaseLogsDir(registry.home, providing.name, providing.dir),
    emit,
    signal,
  });
  new ClaimStore(registry.home).set(consumer.dir, step.alias, outputs);
  run.cache.remember(providing.dir, `claim:${consumer.name}`, key);
  return "done";
}

/**
 * A codebase claim step with nothing to run: the consumer has its outputs, made by the same command on the
 * same data (cached like any task, per consumer), and no one forces it. Not while a value it reads is unmade.
 */
export function claimIsCurrent(run: UpRun, step: CodebaseClaimStep): boolean {
  const consumer = run.codebase(step.codebase);
  const providing = run.codebase(step.provider_codebase);
  if (run.forced("claim", providing.name)) return false;
  const made = new ClaimStore(run.context.registry.home).get(consumer.dir, step.alias);
  try {
    return (
      made !== undefined && run.cache.isFresh(providing.dir, `claim:${consumer.name}`, claimKey(run, step))
    );
  } catch (error) {
    if (error instanceof BerthError) return false;
    throw error;
  }
}

function claimKey(run: UpRun, step: CodebaseClaimStep): string {
  const providing = run.codebase(step.provider_codebase);
  const key = keyOfTask(providing, "claim", run.environment, run.context.servers);
  if (key === undefined) throw new Error(`bug: claim step ${step.id} without a claim task`);
  return key;
}

import type { ReadyStep } from "../../graph/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/** Waits until the started process is ready (or the `up` is cancelled: the wait ends, the process goes on). */
export async function runReady(run: UpRun, step: ReadyStep): Promise<StepOutcome> {
  const process = run.context.registry.get(run.codebase(step.codebase).dir, step.process);
  if (!process) throw new Error(`bug: ${step.id} has no process`);
  if (process.state === "ready") return "skipped";
  await process.whenReady(run.context.signal);
  return "done";
}

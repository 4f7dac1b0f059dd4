import { BerthError } from "../../errors/index.js";
import type { ReadyStep } from "../../graph/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/** Waits until the started process is ready (or the `up` is cancelled). */
export async function runReady(run: UpRun, step: ReadyStep): Promise<StepOutcome> {
  const process = run.context.registry.get(run.codebase(step.codebase).dir, step.process);
  if (!process) throw new Error(`bug: ${step.id} has no process`);
  if (process.state === "ready") return "skipped";
  await abortable(process.whenReady(), run.context.signal);
  return "done";
}

/** `promise`, or a rejection as soon as the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new BerthError("BERTH_CANCELLED", "cancelled"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BerthError("BERTH_CANCELLED", "cancelled"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

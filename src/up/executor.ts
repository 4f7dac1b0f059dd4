import type { Step } from "../graph/index.js";

export type StepOutcome = "done" | "skipped";

export interface StepFailure {
  step: Step;
  error: unknown;
}

/**
 * Runs a plan's steps as parallel as their `after` allows. A failed step blocks what waits on it (the
 * rest goes on); the result names the first failure. Stops starting steps once the signal aborts.
 */
export async function executeSteps(
  steps: readonly Step[],
  run: (step: Step) => Promise<StepOutcome>,
  hooks: {
    onStart(step: Step): void;
    onEnd(step: Step, outcome: StepOutcome | "failed" | "blocked", error?: unknown): void;
  },
  signal: AbortSignal,
): Promise<{ failure?: StepFailure }> {
  const remaining = new Map(steps.map((step) => [step.id, step]));
  const finished = new Set<string>();
  const broken = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: StepFailure | undefined;

  const launch = () => {
    for (const step of [...remaining.values()]) {
      if (step.after.some((id) => broken.has(id))) {
        remaining.delete(step.id);
        broken.add(step.id);
        hooks.onEnd(step, "blocked");
        continue;
      }
      if (signal.aborted || !step.after.every((id) => finished.has(id))) continue;
      remaining.delete(step.id);
      hooks.onStart(step);
      const task = run(step).then(
        (outcome) => {
          finished.add(step.id);
          hooks.onEnd(step, outcome);
        },
        (error: unknown) => {
          broken.add(step.id);
          failure ??= { step, error };
          hooks.onEnd(step, "failed", error);
        },
      );
      running.set(
        step.id,
        task.finally(() => running.delete(step.id)),
      );
    }
  };

  launch();
  while (running.size > 0) {
    await Promise.race(running.values());
    launch();
  }
  return failure ? { failure } : {};
}

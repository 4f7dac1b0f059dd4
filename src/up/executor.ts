import type { Step } from "../graph/index.js";

export type StepOutcome = "done" | "skipped";

export interface StepFailure {
  step: Step;
  error: unknown;
}

/**
 * How many steps at most follow each step, for steps in an order that respects `after`. Of the steps ready
 * at one moment the longest chains are launched first: a process others wait for is spawned before the
 * leaves (spawning blocks the supervisor for a few ms each, and the first spawned get the cores first).
 */
function chainLengths(steps: readonly Step[]): Map<string, number> {
  const lengths = new Map<string, number>();
  for (const step of [...steps].reverse()) {
    const following = lengths.get(step.id) ?? 0;
    for (const id of step.after) lengths.set(id, Math.max(lengths.get(id) ?? 0, following + 1));
  }
  return lengths;
}

/**
 * Runs a plan's steps as parallel as their `after` allows, longest chains first. A failed step blocks what
 * waits on it (the rest goes on); the result names the first failure. Stops starting steps once the signal
 * aborts.
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
  const lengths = chainLengths(steps);
  const byChain = steps
    .map((step, index) => ({ step, index, length: lengths.get(step.id) ?? 0 }))
    .sort((a, b) => b.length - a.length || a.index - b.index);
  const remaining = new Map(byChain.map(({ step }) => [step.id, step]));
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

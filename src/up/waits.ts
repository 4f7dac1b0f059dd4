import type { ReadyStep, StartStep, Step } from "../graph/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import type { Workspace } from "../workspace/index.js";

/** The process a start or ready step is about, if the registry has it. */
export function processOf(
  step: StartStep | ReadyStep,
  workspace: Workspace,
  registry: Registry,
): SupervisedProcess | undefined {
  const codebase = workspace.codebases.get(step.codebase);
  return codebase && registry.get(codebase.dir, step.process);
}

/** An asked-for process that crashed, or waits to be restarted, now that every step is done. */
export function notRunning(
  steps: readonly Step[],
  workspace: Workspace,
  registry: Registry,
): SupervisedProcess | undefined {
  for (const step of steps) {
    if (step.kind !== "ready") continue;
    const process = processOf(step, workspace, registry);
    if (process && ["crashed", "backoff", "failed", "exited"].includes(process.state)) return process;
  }
  return undefined;
}

/** For each readiness still awaited: what it waits for and who waits on it. */
export function explainWaits(
  steps: readonly Step[],
  running: Set<string>,
  workspace: Workspace,
  registry: Registry,
  emit: (event: RuntimeEvent) => void,
  externalWaits: ReadonlyMap<string, string> = new Map(),
): void {
  for (const [id, waiting] of externalWaits) {
    const step = steps.find((each) => each.id === id);
    if (!step?.codebase || !running.has(id)) continue;
    const processes = steps
      .filter((other): other is StartStep => other.kind === "start" && other.codebase === step.codebase)
      .map((other) => `${other.codebase}/${other.process}`);
    const who = processes.length > 0 ? processes.join(", ") : step.codebase;
    emit({ type: "waiting", step: id, reason: `${who}: waiting for ${waiting}` });
  }
  for (const step of steps) {
    if (step.kind !== "ready" || !running.has(step.id)) continue;
    const process = processOf(step, workspace, registry);
    if (!process?.waiting) continue;
    const waiters = steps
      .filter((other): other is StartStep => other.kind === "start" && other.after.includes(step.id))
      .map((other) => `${other.codebase}/${other.process}`);
    const who = waiters.length > 0 ? `${waiters.join(", ")}: waiting for ` : "";
    emit({ type: "waiting", step: step.id, reason: `${who}${process.name}: ${process.waiting}` });
  }
}

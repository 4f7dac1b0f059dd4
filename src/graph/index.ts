export { codebaseEdges, cycleError, findCycles } from "./cycles.js";
export {
  type ClaimStep,
  type CodebaseClaimStep,
  type ExternalStep,
  type Plan,
  type ProviderClaimStep,
  planUp,
  type ReadyStep,
  type ServerStep,
  STANDARD_TASKS,
  type StandardTask,
  type StandardTaskStep,
  type StartStep,
  type Step,
  type StepKind,
  type TaskStep,
} from "./plan.js";
export { type CodebaseGraph, codebaseGraph, type GraphFormat, renderGraph } from "./render.js";
export { selectCodebases } from "./select.js";
export { assertKnownTargets, nothingRunningError } from "./targets.js";
export { type RunTask, runPlan, tasksOnly, withoutWorkOfCurrentClaims } from "./task-plans.js";

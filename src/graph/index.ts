export { codebaseEdges, cycleError, findCycles } from "./cycles.js";
export { type Plan, planUp, type Step, type StepKind } from "./plan.js";
export { type CodebaseGraph, codebaseGraph, type GraphFormat, renderGraph } from "./render.js";
export { selectCodebases } from "./select.js";
export { assertKnownTargets, nothingRunningError } from "./targets.js";
export { type RunTask, runPlan, tasksOnly, withoutWorkOfCurrentClaims } from "./task-plans.js";

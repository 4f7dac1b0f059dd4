export { Child } from "./child.js";
export { SupervisorClient } from "./client.js";
export { durationMs, formatDuration, sinceToEpoch } from "./duration.js";
export { Environment } from "./environment.js";
export { codebaseLogsDir, socketPath } from "./paths.js";
export type { ProcessState, ProcessStatus, RuntimeEvent, UpResult } from "./protocol.js";
export { runTask } from "./task-runner.js";
export { environmentFor, knownPorts } from "./values.js";

export { runClaimTask } from "./claim-task.js";
export { createdPathsExist, keyOfTask } from "./task-key.js";
export { runTask } from "./task-runner.js";

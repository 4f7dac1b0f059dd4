export { type Check, doctor } from "./doctor.js";
export { type CodebaseEnvironment, codebaseEnvironment } from "./environment.js";
export { link, listLinks, unlink } from "./link.js";
export { graph, type PlanResult, plan } from "./plan.js";
export { restoreSnapshot, saveSnapshot } from "./snapshot.js";
export { trust } from "./trust.js";
export type { ProcessState, ProcessStatus, RuntimeEvent, UpResult } from "./types.js";
export { down, up } from "./up.js";
export { type ValidateResult, validate } from "./validate.js";

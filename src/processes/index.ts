export { Child } from "./child.js";
export { exposedListeners, exposureSettled, exposureWarning, holdExposureLooks } from "./exposure.js";
export {
  awaitExternal,
  describeReach,
  type ExternalTarget,
  reachOnce,
} from "./external-wait.js";
export { groupCpuTicks } from "./group-cpu.js";
export { GroupList, startTime, stopLeftoverGroups } from "./group-list.js";
export { groupRss } from "./group-rss.js";
export { Guardian } from "./guardian.js";
export { portHolder } from "./port-holder.js";
export { assertPortFree, freePort, portTaken } from "./ports.js";
export { processAlive, processTable } from "./process-table.js";
export { Registry } from "./registry.js";
export type { ProcessStatus } from "./status.js";
export { stopProcesses } from "./stop.js";
export { type ProcessSpec, SupervisedProcess } from "./supervised-process.js";

export { type UpContext, type UpParams, up } from "./bring-up.js";
export { type ExternalStatus, externalStatuses } from "./external-status.js";
export { ownedProcesses } from "./outdated.js";
export { refreshRunning, upThenRefresh } from "./refresh.js";
export { restartFromManifest } from "./restart.js";
export type { ReloadRequest } from "./step-context.js";

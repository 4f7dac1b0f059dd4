export { createDataFolders } from "./data-folders.js";
export { decidePorts } from "./decided-ports.js";
export { Environment } from "./environment.js";
export { environmentFor, knownEnvironment } from "./environment-for.js";
export { type ExternalReach, externalReach } from "./external-target.js";
export { processSpec } from "./process-spec.js";
export { renderFiles } from "./rendered-files.js";
export { secretClaimOutputs } from "./secret-outputs.js";

export { ClaimStore } from "./claim-outputs.js";
export { codebaseFolderName } from "./codebase-folder.js";
export { berthHome, ensurePrivateDir } from "./home.js";
export { JsonTable } from "./json-table.js";
export { PortStore } from "./port-store.js";
export { moveIntoPlace, readJsonFile, writeJsonFile, writePrivateFile } from "./private-file.js";
export { GENERATED_SECRET, SecretStore } from "./secret-store.js";
export { TaskCache } from "./task-cache.js";

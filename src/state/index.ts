export { ClaimStore } from "./claims.js";
export { berthHome, ensurePrivateDir } from "./home.js";
export { JsonTable } from "./json-table.js";
export { PortStore } from "./ports.js";
export { readJsonFile, writeJsonFile, writePrivateFile } from "./private-file.js";
export { GENERATED_SECRET, SecretStore } from "./secrets.js";

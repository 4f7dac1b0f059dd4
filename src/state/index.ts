export { berthHome, ensurePrivateDir } from "./home.js";
export { readJsonFile, writeJsonFile, writePrivateFile } from "./private-file.js";

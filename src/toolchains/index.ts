export { type Candidate, candidates } from "./candidates.js";
export { installableVersion, matches } from "./constraint.js";
export { type Demand, demandsOf, type Tool } from "./demands.js";
export { type Fix, fixFor } from "./managers.js";
export {
  missingToolError,
  resolveToolchain,
  type Toolchain,
  type ToolStatus,
  toolchainEnv,
  toolchainKey,
} from "./resolve.js";

export { GitCache } from "./git-cache.js";
export { Links } from "./links.js";
export { LOCK_FILE, Lockfile } from "./lockfile.js";
export {
  type Codebase,
  type CodebaseOrigin,
  codebaseExports,
  type Dependency,
  type DependencyTarget,
  type ResolveOptions,
  resolveWorkspace,
  type Workspace,
} from "./resolve.js";
export { TrustStore } from "./trust.js";
export { unknownCodebaseError } from "./unknown-codebase.js";

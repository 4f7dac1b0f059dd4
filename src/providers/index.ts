export { destroyCodebases } from "./destroy.js";
export { chooseInstallation, PROVIDER_IMPLEMENTATIONS } from "./implementations.js";
export { type OrphanData, orphanDataFolders, serversRoot, templatesRoot } from "./places.js";
export { decideClaims, knownClaims, type ProviderClaims } from "./planned-claims.js";
export { runAsFor } from "./run-as.js";
export { LOCK_FILES, leftoverServer, lockHolder } from "./server-leftover.js";
export { serverLogOwners } from "./server-logs.js";
export { type ClaimRecord, type ServerRecord, Servers } from "./servers.js";
export type {
  ClaimData,
  ClaimGrant,
  GrantRequest,
  Installation,
  Provider,
  RestorePlan,
  RunAs,
  ServerInfo,
  ShellCommand,
} from "./types.js";
export { compare, satisfies } from "./versions.js";

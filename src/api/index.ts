export type { SnapshotManifest } from "../snapshots/index.js";
export { type DashboardAddress, dashboard, openInBrowser } from "./dashboard.js";
export { dbDiff } from "./db-diff.js";
export { dbSchema } from "./db-schema.js";
export { dbShellCommand } from "./db-shell.js";
export { type DeployResult, deploy, downKubernetes, type RolloutWait } from "./deploy.js";
export { type DestroyResult, destroy } from "./destroy.js";
export { destroyOrphans } from "./destroy-orphans.js";
export { type Check, doctor } from "./doctor.js";
export { down } from "./down.js";
export { type CodebaseEnvironment, codebaseEnvironment } from "./environment.js";
export { type ExportComposeOptions, type ExportedCompose, exportCompose } from "./export-compose.js";
export { exportKubernetes, type KubernetesFolder } from "./export-kubernetes.js";
export { DURATION_EXAMPLES, formatDuration, parseDuration } from "./format.js";
export { graph } from "./graph.js";
export { type ImportReport, type ImportResult, importDrafts } from "./import.js";
export { type InitResult, init } from "./init.js";
export { link } from "./link.js";
export { listLinks } from "./links.js";
export { type LogLine, type LogsResult, logs } from "./logs.js";
export {
  jsonSchema,
  loadManifest,
  type Manifest,
  manifestReference,
  manifestSchema,
} from "./manifest-schema.js";
export { migrate } from "./migrate.js";
export { type PlanResult, plan } from "./plan.js";
export { resetTargets } from "./reset-targets.js";
export { restart } from "./restart.js";
export { runTask } from "./run.js";
export { seed } from "./seed.js";
export { exportSnapshot } from "./snapshot-export.js";
export { importSnapshot } from "./snapshot-import.js";
export { snapshotInfo } from "./snapshot-info.js";
export { listSnapshots, type SnapshotSummary } from "./snapshot-list.js";
export { removeSnapshot } from "./snapshot-remove.js";
export { restoreSnapshot } from "./snapshot-restore.js";
export { saveSnapshot } from "./snapshot-save.js";
export { exposureWarning, type StatusResult, status } from "./status.js";
export type { HomeOptions, WorkspaceOptions } from "./support/options.js";
export type { TaskRequest } from "./support/up-request.js";
export { trust } from "./trust.js";
export type { ProcessState, ProcessStatus, RuntimeEvent, Step, UpResult } from "./types.js";
export { unlink } from "./unlink.js";
export { up } from "./up.js";
export { type UpRequest, upSession } from "./up-session.js";
export { type ValidateResult, validate } from "./validate.js";
export { wait } from "./wait.js";

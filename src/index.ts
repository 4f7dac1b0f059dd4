// Berth's public library API, listed by hand: what a test suite or a tool can use besides the CLI.
export {
  type Check,
  type CodebaseEnvironment,
  codebaseEnvironment,
  doctor,
  down,
  graph,
  link,
  listLinks,
  type PlanResult,
  type ProcessStatus,
  plan,
  type RuntimeEvent,
  restoreSnapshot,
  saveSnapshot,
  trust,
  type UpResult,
  unlink,
  up,
  type ValidateResult,
  validate,
} from "./api/index.js";
export { BerthError, BerthErrors, type Location } from "./errors/index.js";
export { init } from "./init/index.js";
export { jsonSchema, loadManifest, type Manifest, manifestSchema } from "./manifest/index.js";

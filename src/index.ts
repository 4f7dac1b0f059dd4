// Berth's public library API, listed by hand: what a test suite or a tool can use besides the CLI.
export { type Check, doctor } from "./api/doctor.js";
export { type CodebaseEnvironment, codebaseEnvironment } from "./api/environment.js";
export { link, listLinks, unlink } from "./api/link.js";
export { graph, type PlanResult, plan } from "./api/plan.js";
export { restoreSnapshot, saveSnapshot } from "./api/snapshot.js";
export { trust } from "./api/trust.js";
export { down, up } from "./api/up.js";
export { type ValidateResult, validate } from "./api/validate.js";
export { BerthError, BerthErrors, type Location } from "./errors/index.js";
export { init } from "./init/index.js";
export { jsonSchema, loadManifest, type Manifest, manifestSchema } from "./manifest/index.js";
export type { ProcessStatus, RuntimeEvent, UpResult } from "./supervisor/protocol.js";

// The types of what the library returns and reports, for its users and the CLI (type-only: loads nothing).

export type { Step } from "../graph/index.js";
export type { ProcessState, RuntimeEvent, UpResult } from "../logs/index.js";
export type { ProcessStatus } from "../processes/index.js";
export type { ExternalStatus } from "../up/index.js";

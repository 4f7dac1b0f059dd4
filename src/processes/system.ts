import { PROC_MODE } from "./proc-mode.js";
import { procfs } from "./procfs.js";
import { ps } from "./ps.js";
import type { ProcessSystem } from "./system-types.js";

export type { ExposedSocket, MarkedProcess, ProcEntry, ProcStat } from "./system-types.js";

/** The one place that chooses how processes are read (see proc-mode.ts); everything else asks this. */
export const system: ProcessSystem = PROC_MODE === "ps" ? ps : procfs;

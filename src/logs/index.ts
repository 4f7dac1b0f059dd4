export { writeCoalesced } from "./coalesced-write.js";
export type { ProcessState, Reload, RuntimeEvent, UpResult } from "./events.js";
export { exposureWarning } from "./events.js";
export { followLogs } from "./follow.js";
export { splitLines, splitRecords } from "./lines.js";
export { codebaseLogsDir } from "./logs-dir.js";
export { looksSecret, MASK, Masker, MIN_SECRET_LENGTH } from "./mask.js";
export { type LogFilter, type LogLine, type LogOwner, logSources, readLogs } from "./read.js";
export { DEFAULT_LOG_CAP_BYTES, type LogEntry, LogWriter, logFile } from "./store.js";

/**
 * How Berth reads the process table, ports and environments: `procfs` reads /proc (Linux), `ps` asks `ps` and
 * `lsof` (macOS, and any system without /proc). `BERTH_PROC=ps` forces the second on Linux, so that tests run
 * the macOS path here; it is internal, not a user setting. Read once, when the process starts.
 */
export const PROC_MODE: "procfs" | "ps" =
  process.platform !== "linux" || process.env.BERTH_PROC === "ps" ? "ps" : "procfs";

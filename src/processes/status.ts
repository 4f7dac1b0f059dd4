import type { ProcessState } from "../logs/index.js";

export interface ProcessStatus {
  codebase: string;
  process: string;
  state: ProcessState;
  pid: number | null;
  port: number | null;
  restarts: number;
  uptime_s: number | null;
  rss_bytes: number | null;
  /** What it waits for, while starting. */
  waiting?: string;
  /** Where it listens on its port beyond loopback (reachable from other machines); empty when nowhere. */
  exposed: string[];
  /** How it last ended, while crashed, failed, exited or in back-off (else null). */
  exit_code: number | null;
  exit_signal: string | null;
  /** Why it is crashed, failed, exited or in back-off, in words. */
  reason?: string;
  dir: string;
  /** The last time its files changed while it ran, and what was done about it. */
  last_reload?: { at: string; files: string[]; outcome: string; message: string };
}

/** What the supervisor tells a client while it works. */
export type RuntimeEvent =
  | {
      type: "step";
      step: string;
      state: "running" | "done" | "skipped" | "failed" | "blocked";
      detail?: string;
      ms?: number;
    }
  | { type: "waiting"; step: string; reason: string }
  | { type: "line"; codebase: string; name: string; stream: "out" | "err" | "berth"; line: string; t: number }
  | { type: "process"; codebase: string; process: string; state: ProcessState; detail?: string }
  | { type: "lock"; holder: string }
  /** A `down` cancelled these pending `up`s of its workspace. */
  | { type: "cancelled"; what: string[] }
  /** A process this workspace ran that its manifests no longer describe was stopped. */
  | { type: "stopped"; process: string; reason: string }
  /** A ready process listens on its port beyond loopback. */
  | { type: "exposed"; codebase: string; process: string; addresses: string[] }
  /** The start phase of an attached `up` is over; logs follow. */
  | { type: "up"; result: UpResult }
  /** Files changed while the workspace ran, and what was done about it. */
  | ({ type: "reload" } & Reload);

/** A reload: which files of a codebase changed, what Berth did, in words. */
export interface Reload {
  codebase: string;
  /** The process it is about, when one process's watched files changed. */
  process?: string;
  /** The changed files, relative to the codebase's folder. */
  files: string[];
  outcome: "restarted" | "applied" | "failed" | "untrusted" | "invalid" | "paused" | "unchanged";
  /** What was done: `src/app.ts changed → restarted, ready 212 ms`. */
  message: string;
  t: number;
}

export type ProcessState =
  | "pending"
  | "starting"
  | "ready"
  | "backoff"
  | "crashed"
  | "failed"
  | "exited"
  | "stopping"
  | "stopped";

export interface UpResult {
  ok: boolean;
  failed?: { step: string; message: string; hint?: string; lines: string[] };
  /** Processes this `up` started (and that a Ctrl-C stops). */
  started: string[];
  ready: { codebase: string; process: string; port: number | null }[];
  /** After a reset: the claims and tasks run again, and the processes restarted, on the new data. */
  refreshed?: { reran: string[]; restarted: string[] };
}

/** What a user reads about a process listening beyond loopback. */
export function exposureWarning(addresses: readonly string[]): string {
  return `listens on ${addresses.join(", ")}: reachable from other machines; bind 127.0.0.1 (Berth sets $HOST to it)`;
}

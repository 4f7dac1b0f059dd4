import type { LogWriter, RuntimeEvent } from "../logs/index.js";
import type { Command, Probe } from "../manifest/index.js";
import type { ChildOptions, Exit } from "./child.js";
import type { ProbeResult } from "./probe.js";

export interface ProcessSpec {
  codebase: string;
  process: string;
  dir: string;
  command: Command;
  env: NodeJS.ProcessEnv;
  port: number | undefined;
  probe: Probe | undefined;
  restart: "no" | "on-failure" | "always";
  stopTimeoutMs: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  startPeriodMs: number;
  /** Identifies the spec's content: an `up` with the same hash leaves the running process alone. */
  hash: string;
  /** Folders of the codebases this one requires: they stop after it. */
  requires: string[];
  /** A readiness try of its own (a provider's client round trip), instead of `probe`. */
  ping?: () => Promise<ProbeResult>;
  runAs?: { uid: number; gid: number } | undefined;
  /** Values hidden in its output before anything stores or shows a line. */
  secrets?: readonly string[];
  /** Started by Berth with its own flags binding 127.0.0.1 (a provider server): its listeners are not checked. */
  bindsLoopback?: boolean;
}

/** What a supervised process needs of a started command (a `Child`, or a test's fake). */
export interface RunningChild {
  readonly pid: number;
  readonly startedAt: number;
  readonly running: boolean;
  readonly exited: Promise<Exit>;
  stop(graceMs: number): Promise<Exit>;
}

export interface ProcessHooks {
  log: LogWriter;
  emit: (event: RuntimeEvent) => void;
  onGroupStart: (pgid: number) => void;
  onGroupEnd: (pgid: number) => void;
  /** Starts the command; `Child.spawn` unless a test gives its own. */
  spawn?: (options: ChildOptions) => RunningChild;
}

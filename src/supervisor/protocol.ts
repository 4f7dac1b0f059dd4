import type { ErrorCode, Location } from "../errors/index.js";
import type { RunTask } from "../graph/index.js";
import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { ProcessStatus } from "../processes/index.js";
import type { Watching } from "../reload/index.js";
import type { SnapshotManifest } from "../snapshots/index.js";
import type { ExternalStatus } from "../up/index.js";

// Types only: the CLI loads this module for every supervisor call, and must not load zod with it. The daemon
// checks each request against the schemas in protocol-schemas.ts, which are typed against these.

export interface ErrorData {
  code: ErrorCode;
  message: string;
  hint?: string;
  location?: Location;
  bug?: boolean;
  /** All of them, when several problems were found at once. */
  errors?: ErrorData[];
}

/** The caller's environment, passed on to the commands the supervisor runs for it. */
export type HostEnv = Record<string, string | undefined>;

/** What every workspace request names: the root codebase's folder. */
export interface RootParams {
  root: string;
}

export interface UpParams extends RootParams {
  codebases: string[];
  env: HostEnv;
  trustAll: boolean;
  /** Attached: after the up, stream the logs until the client cancels or goes away. */
  follow: boolean;
  /** False: the lines the processes print are not sent (nobody shows them). */
  lines?: boolean;
  force?: string[];
  only?: string[];
  run?: RunTask;
  reset?: boolean;
  /** False (`--no-watch`): edits are not followed. */
  watch?: boolean;
}

export interface DownParams extends RootParams {
  codebases?: string[];
  /** Every workspace of the state folder, and the supervisor. */
  all?: boolean;
  keepServers?: boolean;
}

export interface DestroyParams extends RootParams {
  codebases?: string[];
}

export interface RestartParams extends RootParams {
  /** A codebase or codebase/process. */
  target: string;
  env: HostEnv;
  trustAll: boolean;
}

export interface SnapshotParams extends RootParams {
  name: string;
  env: HostEnv;
  trustAll: boolean;
}

export interface SnapshotSaveParams extends SnapshotParams {
  codebases?: string[];
}

/** Without a root (or with `all`): every process of the state folder. */
export interface StatusParams {
  root?: string;
  all?: boolean;
}

export interface WaitParams extends RootParams {
  codebases?: string[];
  timeoutMs?: number;
}

/** The workspace whose `external:` requirements are tried once, with the caller's environment. */
export interface ExternalsParams extends RootParams {
  env: HostEnv;
}

/** Without a root: every workspace the supervisor follows. */
export interface WatchingParams {
  root?: string;
  /** Only these codebases' folders. */
  codebases?: string[];
}

export interface PingResult {
  pid: number;
  processes: number;
  memory: NodeJS.MemoryUsage;
}

export interface DestroyResult {
  /** What was deleted, one line each. */
  deleted: string[];
  /** What was kept although asked for, and why. */
  kept: string[];
}

/** Where the dashboard is served (started by the first `berth dashboard`). */
export interface DashboardAddress {
  url: string;
  port: number;
  /** The port kept for this state folder, when another program held it and a new one was chosen (and kept). */
  movedFrom?: number;
}

/** Every method the supervisor serves: its parameters and what it answers. */
export interface Methods {
  ping: { params: Record<string, never>; result: PingResult };
  dashboard: { params: Record<string, never>; result: DashboardAddress };
  up: { params: UpParams; result: UpResult };
  down: { params: DownParams; result: { stopped: string[]; ms: number } };
  destroy: { params: DestroyParams; result: DestroyResult };
  restart: { params: RestartParams; result: { restarted: string[]; updated: string[] } };
  "snapshot-save": { params: SnapshotSaveParams; result: SnapshotManifest };
  "snapshot-restore": {
    params: SnapshotParams;
    result: { restored: string[]; restarted: string[]; reran: string[] };
  };
  status: { params: StatusParams; result: ProcessStatus[] };
  wait: { params: WaitParams; result: { ready: string[] } };
  watching: { params: WatchingParams; result: Watching[] };
  externals: { params: ExternalsParams; result: ExternalStatus[] };
}

export type Method = keyof Methods;
export type Params<M extends Method> = Methods[M]["params"];
export type Result<M extends Method> = Methods[M]["result"];

/** `cancel` is no method: it answers nothing, and aborts the connection's attached `up`. */
export type Request = { id: number; method: Method | "cancel"; params: unknown };

export type Response =
  | { id: number; event: RuntimeEvent }
  | { id: number; result: unknown }
  | { id: number; error: ErrorData };

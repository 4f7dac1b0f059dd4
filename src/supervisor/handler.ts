import type { Socket } from "node:net";
import type { RuntimeEvent } from "../logs/index.js";
import type { Registry } from "../processes/index.js";
import type { Servers } from "../providers/index.js";
import type { Followers } from "../reload/index.js";
import type { up } from "../up/index.js";
import type { Observers } from "./observers.js";
import type { DashboardAddress, Method, Params, Result } from "./protocol.js";
import type { Workspaces } from "./workspaces.js";

export type Emit = (event: RuntimeEvent) => void;

export interface Connection {
  socket: Socket;
  /** Set while an attached `up` runs: a `cancel` aborts it. */
  cancel?: AbortController;
}

/** What a handler may send back while it works, and the connection it answers on. */
export interface HandlerIO {
  emit: Emit;
  connection: Connection;
}

/** The supervisor's state, as its handlers see it. */
export interface Daemon {
  readonly registry: Registry;
  readonly servers: Servers;
  /** Codebase folders that claimed each server (by server key). */
  readonly serverUsers: Map<string, Set<string>>;
  readonly workspaces: Workspaces;
  /** The running workspaces whose edits are followed. */
  readonly followers: Followers;
  /** Every `up` in progress or attached, with its workspace's root folder: a `down` of it cancels it. */
  readonly ups: Set<{ controller: AbortController; root: string }>;
  /** The last `up` of each workspace, and whoever observes every event (the dashboard). */
  readonly observers: Observers;
  /** Starts the dashboard's server unless it runs; its address. */
  dashboard(): Promise<DashboardAddress>;
  /** Runs `work` after every earlier change finished; a waiting client is told what it waits for. */
  serialised<T>(what: string, emit: Emit, work: () => Promise<T>): Promise<T>;
  /** What `up` works with: this supervisor's processes, servers and remembered workspaces. */
  upContext(emit: Emit, signal: AbortSignal): Parameters<typeof up>[0];
  close(): Promise<void>;
}

/** One method of the protocol, served: its parameters are already checked against the method's schema. */
export type Handler<M extends Method> = (
  daemon: Daemon,
  params: Params<M>,
  io: HandlerIO,
) => Promise<Result<M>>;

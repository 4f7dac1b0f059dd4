import type { ProcessStatus } from "../processes/index.js";
import type { Observers } from "./observers.js";
import type { DashboardAddress } from "./protocol.js";

/**
 * A process or server as the dashboard shows it: its status, the workspaces (root folders) it belongs to, and
 * its last lines (masked) while crashed, failed or in back-off.
 */
export type HostProcess = ProcessStatus & { roots: string[]; last_lines?: string[] };

/** What the supervisor lends the dashboard's server, which runs in its process. */
export interface DashboardHost {
  /** The state folder. */
  readonly home: string;
  readonly observers: Pick<Observers, "observe" | "roots" | "steps" | "trustAll">;
  /** Every process and server of the state folder. */
  processes(): Promise<HostProcess[]>;
  /** The root folders of the workspaces whose edits are followed. */
  followed(): string[];
}

/** Starts the dashboard's server (loaded only then): the composition root injects it. */
export type StartDashboard = (host: DashboardHost) => Promise<DashboardAddress>;

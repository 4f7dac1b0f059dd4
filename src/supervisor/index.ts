export { SupervisorClient } from "./client.js";
export type { DashboardHost, HostProcess, StartDashboard } from "./dashboard-host.js";
export type { Observer, StepView } from "./observers.js";
export type {
  DashboardAddress,
  DestroyResult,
  DownParams,
  Method,
  Methods,
  Params,
  PingResult,
  Result,
  SnapshotParams,
  SnapshotSaveParams,
  StatusParams,
  UpParams,
  WaitParams,
} from "./protocol.js";
export { socketAnswers, socketPath } from "./socket.js";

export { SupervisorClient } from "./client.js";
export type {
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

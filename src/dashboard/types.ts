// The dashboard's HTTP shapes, shared with the page (src/dashboard/web): types only, nothing to load.
import type { CodebaseGraph } from "../graph/index.js";
import type { LogLine, RuntimeEvent } from "../logs/index.js";
import type { HostProcess, StepView } from "../supervisor/index.js";

export type { CodebaseGraph, LogLine, RuntimeEvent, StepView };

/** `GET /api/state`: everything a first paint needs. */
export interface DashboardState {
  supervisor: { pid: number; rss_bytes: number };
  workspaces: WorkspaceView[];
  processes: ProcessRow[];
  /** The id of the last event sent: the stream resumes after it. */
  lastEventId: number;
}

export interface WorkspaceView {
  root: string;
  name: string;
  graph: CodebaseGraph;
  /** Of its last `up`, in the order they began. */
  steps: StepView[];
  /** Whether its edits are followed. */
  watching: boolean;
}

/** Every process and server of the state folder; `cpu_percent` of one core over the last second (null unsampled). */
export type ProcessRow = HostProcess & { cpu_percent: number | null };

export type ActionRequest =
  | { action: "restart" | "stop"; root: string; target: string }
  | { action: "up"; root: string; codebases: string[] }
  | { action: "run-task"; root: string; codebase: string; task: string }
  | { action: "seed-reset"; root: string; codebase: string; confirm: true }
  | { action: "snapshot-restore"; root: string; name: string; confirm: true };

export interface ActionProgress {
  id: string;
  state: "running" | "done" | "failed";
  message?: string;
}

/** `GET /api/logs`. */
export interface LogsAnswer {
  lines: LogLine[];
}

/** What `GET /api/events` sends, by event name. */
export interface StreamEvents {
  status: ProcessRow[];
  runtime: { root: string | null; event: RuntimeEvent };
  workspaces: WorkspaceView[];
  action: ActionProgress;
  /** Too old a `Last-Event-ID`: refetch /api/state. */
  reset: Record<string, never>;
}

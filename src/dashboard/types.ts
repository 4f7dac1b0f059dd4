// Placeholder of the server's shapes (branch h-dash-server owns this file): the page compiles against it.
import type { CodebaseGraph } from "../graph/index.js";
import type { LogLine, RuntimeEvent } from "../logs/index.js";
import type { ProcessStatus } from "../processes/index.js";

/** Everything the page needs for its first paint, in one request (`GET /api/state`). */
export interface DashboardState {
  supervisor: { pid: number; rss_bytes: number };
  workspaces: WorkspaceView[];
  processes: ProcessRow[];
  lastEventId: number;
}

export interface WorkspaceView {
  root: string;
  name: string;
  graph: CodebaseGraph;
  /** The steps of its last up, in plan order. */
  steps: StepView[];
  watching: boolean;
}

export interface StepView {
  id: string;
  state: "pending" | "running" | "done" | "skipped" | "failed" | "blocked";
  ms?: number;
  detail?: string;
  waiting?: string;
}

export type ProcessRow = ProcessStatus & {
  roots: string[];
  cpu_percent: number | null;
  /** When crashed, failed or in back-off. */
  last_lines?: string[];
};

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
  reset: Record<string, never>;
}

export type { LogLine, RuntimeEvent };

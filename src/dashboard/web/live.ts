import { useEffect, useRef, useState } from "preact/hooks";
import type {
  ActionProgress,
  DashboardState,
  ProcessRow,
  StepView,
  StreamEvents,
  WorkspaceView,
} from "../types.js";

export type Connection = "connecting" | "live" | "reconnecting" | "refused";

export interface Live {
  state: DashboardState | undefined;
  connection: Connection;
  /** Why the state could not be read, in words. */
  problem?: string;
}

type Listener<T> = (value: T) => void;
type RuntimeMessage = StreamEvents["runtime"];

/** Who hears the stream's log lines and action progress (both too frequent or too local for the state). */
export interface LiveChannels {
  onRuntime(listener: Listener<RuntimeMessage>): () => void;
  onAction(listener: Listener<ActionProgress>): () => void;
}

/** The state of the supervisor, read once from /api/state, then kept live by /api/events (one stream). */
export function useLive(first: Promise<Response>): Live & LiveChannels {
  const [live, setLive] = useState<Live>({ state: undefined, connection: "connecting" });
  const runtime = useRef(new Set<Listener<RuntimeMessage>>());
  const actions = useRef(new Set<Listener<ActionProgress>>());
  const channels = useRef<LiveChannels>({
    onRuntime: (listener) => subscribe(runtime.current, listener),
    onAction: (listener) => subscribe(actions.current, listener),
  });

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const update = (change: (state: DashboardState) => DashboardState) =>
      setLive((current) => (current.state ? { ...current, state: change(current.state) } : current));

    let pending: Promise<Response> | undefined = first;
    const load = async () => {
      const response = await (pending ?? fetch("/api/state"));
      pending = undefined;
      if (!response.ok) {
        setLive({ state: undefined, connection: "refused", problem: await response.text() });
        return;
      }
      const state = (await response.json()) as DashboardState;
      if (closed) return;
      setLive((current) => ({ ...current, state }));
      if (!source) connect(state.lastEventId);
    };
    // From the state's last event on, so nothing sent between the two requests is missed; a reconnect
    // resumes from the last event received (EventSource sends Last-Event-ID itself).
    const connect = (after: number) => {
      const events = new EventSource(`/api/events?after=${after}`);
      source = events;
      events.onopen = () => setLive((current) => ({ ...current, connection: "live" }));
      events.onerror = () => {
        setLive((current) => ({ ...current, connection: "reconnecting" }));
        // Refused (not a dropped connection): EventSource gives up; read the state again, which says why.
        if (events.readyState === EventSource.CLOSED && !closed) {
          source = undefined;
          retry = setTimeout(reload, 2000);
        }
      };
      events.addEventListener("status", (message) => {
        const processes = JSON.parse(message.data) as ProcessRow[];
        update((state) => ({ ...state, processes }));
      });
      events.addEventListener("workspaces", (message) => {
        const workspaces = JSON.parse(message.data) as WorkspaceView[];
        update((state) => ({ ...state, workspaces }));
      });
      events.addEventListener("runtime", (message) => {
        const runtimeMessage = JSON.parse(message.data) as RuntimeMessage;
        if (runtimeMessage.event.type !== "line") update((state) => applyRuntime(state, runtimeMessage));
        for (const listener of runtime.current) listener(runtimeMessage);
      });
      events.addEventListener("action", (message) => {
        const progress = JSON.parse(message.data) as ActionProgress;
        for (const listener of actions.current) listener(progress);
      });
      events.addEventListener("reset", reload);
    };
    // The supervisor unreachable (stopped, restarting): try again until it answers.
    const reload = () => {
      load().catch((error: unknown) => {
        setLive((current) => ({ ...current, connection: "reconnecting", problem: String(error) }));
        if (!closed) retry = setTimeout(reload, 2000);
      });
    };
    reload();
    return () => {
      closed = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [first]);

  return { ...live, ...channels.current };
}

function subscribe<T>(listeners: Set<Listener<T>>, listener: Listener<T>): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A process's new state and a step's progress show at once, before the next `status` (once a second). */
function applyRuntime(state: DashboardState, { root, event }: RuntimeMessage): DashboardState {
  if (event.type === "process") {
    const processes = state.processes.map((row) =>
      row.codebase === event.codebase && row.process === event.process && (!root || row.roots.includes(root))
        ? { ...row, state: event.state }
        : row,
    );
    return { ...state, processes };
  }
  if ((event.type === "step" || event.type === "waiting") && root) {
    const workspaces = state.workspaces.map((workspace) => {
      if (workspace.root !== root) return workspace;
      const change: Partial<StepView> =
        event.type === "step"
          ? { state: event.state, ms: event.ms, detail: event.detail, waiting: undefined }
          : { waiting: event.reason };
      const known = workspace.steps.some((step) => step.id === event.step);
      const steps = known
        ? workspace.steps.map((step) => (step.id === event.step ? { ...step, ...change } : step))
        : [...workspace.steps, { id: event.step, state: "running" as const, ...change }];
      return { ...workspace, steps };
    });
    return { ...state, workspaces };
  }
  return state;
}

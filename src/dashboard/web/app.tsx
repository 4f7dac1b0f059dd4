import { useState } from "preact/hooks";
import { type Actions, useActions } from "./actions.js";
import { ConfirmDialog, type ConfirmRequest } from "./confirm.js";
import { bytes } from "./format.js";
import { Graph } from "./graph.js";
import { useLive } from "./live.js";
import { LogPanel, type LogSelection } from "./log-panel.js";
import { ProcessTable } from "./process-table.js";
import { SnapshotRestore, Steps } from "./steps.js";

/** `first`: the request for /api/state, sent before the page is drawn (effects run only after a paint). */
export function App({ first }: { first: Promise<Response> }) {
  const live = useLive(first);
  const actions = useActions(live);
  const [logs, setLogs] = useState<LogSelection>();
  const [confirm, setConfirm] = useState<ConfirmRequest>();
  const state = live.state;

  if (!state) {
    return (
      <main class="loading">
        <h1>Berth</h1>
        <p>{live.problem ?? "Reading the supervisor's state…"}</p>
      </main>
    );
  }
  return (
    <main>
      <header>
        <h1>Berth</h1>
        <span data-testid="connection" class={`connection ${live.connection}`}>
          {live.connection}
        </span>
        <span class="supervisor">
          supervisor {state.supervisor.pid} · {bytes(state.supervisor.rss_bytes)}
        </span>
      </header>
      <section>
        <h2>Processes</h2>
        <ProcessTable
          workspaces={state.workspaces}
          processes={state.processes}
          actions={actions}
          showLogs={(root, target) => setLogs({ root, target })}
        />
      </section>
      <ActionList actions={actions} />
      {state.workspaces.map((workspace) => (
        <section key={workspace.root} class="workspace">
          <h2>
            {workspace.name} <span class="root">{workspace.root}</span>
            {workspace.watching && <span class="tag">watching</span>}
          </h2>
          <div class="columns">
            <div>
              <h3>Last up</h3>
              <Steps workspace={workspace} actions={actions} confirm={setConfirm} />
              <SnapshotRestore workspace={workspace} actions={actions} confirm={setConfirm} />
            </div>
            <div>
              <h3>Graph</h3>
              <Graph workspace={workspace} processes={state.processes} />
            </div>
          </div>
        </section>
      ))}
      <section>
        <h2>Logs</h2>
        <LogPanel
          workspaces={state.workspaces}
          processes={state.processes}
          channels={live}
          selection={logs}
          select={setLogs}
        />
      </section>
      {confirm && <ConfirmDialog request={confirm} close={() => setConfirm(undefined)} />}
    </main>
  );
}

function ActionList({ actions }: { actions: Actions }) {
  if (actions.items.length === 0) return null;
  return (
    <ul class="actions" data-testid="actions">
      {actions.items.map((item) => (
        <li key={item.key} data-testid="action" data-state={item.state} class={`action-${item.state}`}>
          <span class="badge">{item.state}</span> {item.label}
          {item.message && <span class="message"> {item.message}</span>}
          {(item.state === "done" || item.state === "failed") && (
            <button type="button" class="small link" onClick={() => actions.dismiss(item.key)}>
              ×
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

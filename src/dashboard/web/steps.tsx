import { useState } from "preact/hooks";
import type { WorkspaceView } from "../types.js";
import type { Actions } from "./actions.js";
import type { ConfirmRequest } from "./confirm.js";
import { milliseconds } from "./format.js";

const TASKS = new Set(["install", "migrate", "seed"]);

/** The steps of the workspace's last up (ran, cached, how long, failed with what), with task actions. */
export function Steps(props: {
  workspace: WorkspaceView;
  actions: Actions;
  confirm(request: ConfirmRequest): void;
}) {
  const { workspace, actions, confirm } = props;
  if (workspace.steps.length === 0) return <p class="empty">No up since the supervisor started.</p>;
  return (
    <ol class="steps">
      {workspace.steps.map((step) => {
        const [kind = "", codebase = ""] = splitStep(step.id);
        const task = TASKS.has(kind) ? kind : undefined;
        return (
          <li
            key={step.id}
            data-testid="step"
            data-id={step.id}
            data-state={step.state}
            class={`step-${step.state}`}
          >
            <span class={`badge step-${step.state}`}>{step.state === "skipped" ? "cached" : step.state}</span>
            <span class="step-id">{step.id}</span>
            <span class="ms">{milliseconds(step.ms)}</span>
            {task && (
              <button
                type="button"
                class="small"
                onClick={() =>
                  actions.run(
                    { action: "run-task", root: workspace.root, codebase, task },
                    "run",
                    `${codebase} ${task}`,
                  )
                }
              >
                run
              </button>
            )}
            {task === "seed" && (
              <button
                type="button"
                class="small danger"
                onClick={() =>
                  confirm({
                    question: `Reset ${codebase}'s data and seed it again? Its databases are emptied.`,
                    yes: "reset the data",
                    onYes: () =>
                      actions.run(
                        { action: "seed-reset", root: workspace.root, codebase, confirm: true },
                        "reset",
                        `${codebase} seed`,
                      ),
                  })
                }
              >
                reset…
              </button>
            )}
            {(step.waiting || step.detail) && <div class="why">{step.waiting ?? step.detail}</div>}
          </li>
        );
      })}
    </ol>
  );
}

/** `migrate:catalog` → [migrate, catalog]; `start:catalog/api` → [start, catalog/api]. */
function splitStep(id: string): [string, string] {
  const colon = id.indexOf(":");
  return colon < 0 ? [id, ""] : [id.slice(0, colon), id.slice(colon + 1)];
}

/** Restores a named snapshot over the workspace's data, after asking. */
export function SnapshotRestore(props: {
  workspace: WorkspaceView;
  actions: Actions;
  confirm(request: ConfirmRequest): void;
}) {
  const [name, setName] = useState("");
  const { workspace, actions, confirm } = props;
  return (
    <form
      class="snapshot"
      onSubmit={(event) => {
        event.preventDefault();
        if (name === "") return;
        confirm({
          question: `Restore snapshot "${name}" over ${workspace.name}'s data? What is there now is replaced.`,
          yes: "restore",
          onYes: () =>
            actions.run(
              { action: "snapshot-restore", root: workspace.root, name, confirm: true },
              "restore",
              `snapshot ${name}`,
            ),
        });
      }}
    >
      <label>
        snapshot{" "}
        <input value={name} placeholder="name" onInput={(event) => setName(event.currentTarget.value)} />
      </label>{" "}
      <button type="submit" class="danger" disabled={name === ""}>
        restore…
      </button>
    </form>
  );
}

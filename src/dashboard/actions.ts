import { down } from "../api/down.js";
import { restart } from "../api/restart.js";
import { runTask } from "../api/run.js";
import { seed } from "../api/seed.js";
import { restoreSnapshot } from "../api/snapshot-restore.js";
import { up } from "../api/up.js";
import { BerthError } from "../errors/index.js";
import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { DashboardHost } from "../supervisor/index.js";
import type { EventStream } from "./event-stream.js";
import type { ActionRequest } from "./types.js";

/**
 * The page's actions, run through the library the CLI uses (so through the supervisor's own socket, serialised
 * with every other change): answered at once with an id, their progress and result told as `action` events.
 */
export class Actions {
  #count = 0;

  constructor(
    private readonly host: DashboardHost,
    private readonly stream: EventStream,
  ) {}

  start(request: ActionRequest): string {
    const id = `action-${++this.#count}`;
    this.stream.publish("action", { id, state: "running", message: describe(request) });
    // Told while it waits for another change to finish (an `up`, a `down`): the supervisor does one at a time.
    const onEvent = (event: RuntimeEvent) => {
      if (event.type === "lock")
        this.stream.publish("action", { id, state: "running", message: `waiting for ${event.holder}` });
    };
    perform(this.host, request, onEvent).then(
      (message) => this.stream.publish("action", { id, state: "done", message }),
      (error: unknown) => this.stream.publish("action", { id, state: "failed", message: failure(error) }),
    );
    return id;
  }
}

async function perform(
  host: DashboardHost,
  request: ActionRequest,
  onEvent: (event: RuntimeEvent) => void,
): Promise<string> {
  const { root } = request;
  // As trusting as the `up` that brought the workspace up.
  const base = { root, home: host.home, trustAll: host.observers.trustAll(root), onEvent };
  switch (request.action) {
    case "restart": {
      const { restarted } = await restart({ ...base, target: request.target });
      return restarted.length > 0 ? `restarted ${restarted.join(", ")}` : "nothing to restart";
    }
    case "stop": {
      const { stopped } = await down({ ...base, codebases: [request.target] });
      return stopped.length > 0 ? `stopped ${stopped.join(", ")}` : "nothing was running";
    }
    case "up":
      return upOutcome(await up({ ...base, codebases: request.codebases }));
    case "run-task":
      return upOutcome(await runTask({ ...base, codebase: request.codebase, task: request.task }));
    case "seed-reset":
      return upOutcome(await seed({ ...base, codebases: [request.codebase], reset: true }));
    case "snapshot-restore": {
      const { restored } = await restoreSnapshot({ ...base, name: request.name });
      return `restored ${request.name}${restored.length > 0 ? `: ${restored.join(", ")}` : ""}`;
    }
  }
}

/** An `up` that answered with a failed step (its own words, already a user's error). */
class UpFailed extends Error {}

function upOutcome(result: UpResult): string {
  if (result.failed) {
    const { step, message, hint } = result.failed;
    throw new UpFailed(`${step}: ${message}${hint ? ` (${hint})` : ""}`);
  }
  const ready = result.ready.map((entry) => `${entry.codebase}/${entry.process}`);
  return ready.length > 0 ? `ready: ${ready.join(", ")}` : "done";
}

function describe(request: ActionRequest): string {
  switch (request.action) {
    case "restart":
    case "stop":
      return `${request.action} ${request.target}`;
    case "up":
      return `up ${request.codebases.join(" ")}`.trim();
    case "run-task":
      return `run ${request.codebase} ${request.task}`;
    case "seed-reset":
      return `seed --reset ${request.codebase}`;
    case "snapshot-restore":
      return `snapshot restore ${request.name}`;
  }
}

/** A user's error in its words and hint; anything else as the bug it is. */
function failure(error: unknown): string {
  if (error instanceof UpFailed) return error.message;
  if (error instanceof BerthError) return error.hint ? `${error.message} (${error.hint})` : error.message;
  return `bug: ${error instanceof Error ? error.message : String(error)}`;
}

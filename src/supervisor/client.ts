import { existsSync, openSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BerthError } from "../errors/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import { ensurePrivateDir } from "../state/index.js";
import { toError } from "./error-data.js";
import type { Method, Params, Response, Result } from "./protocol.js";
import { onMessages, send, socketPath } from "./socket.js";

/** The CLI's side of the supervisor's socket. */
export class SupervisorClient {
  readonly #socket: Socket;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void; onEvent?: (event: RuntimeEvent) => void }
  >();

  private constructor(socket: Socket) {
    this.#socket = socket;
    onMessages(socket, (message) => {
      const response = message as Response;
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      if ("event" in response) pending.onEvent?.(response.event);
      else if ("result" in response) {
        this.#pending.delete(response.id);
        pending.resolve(response.result);
      } else {
        this.#pending.delete(response.id);
        pending.reject(toError(response.error));
      }
    });
    socket.on("close", () => {
      for (const pending of this.#pending.values()) {
        pending.reject(
          new BerthError("BERTH_SUPERVISOR_GONE", "the supervisor went away", {
            hint: "run the command again; `berth doctor` checks the state folder",
          }),
        );
      }
      this.#pending.clear();
    });
  }

  /** Connects to the supervisor of `home`; starts it first when `start` is set and none runs. */
  static async connect(home: string, options: { start: boolean }): Promise<SupervisorClient | undefined> {
    const path = socketPath(home);
    const socket = await tryConnect(path);
    if (socket) return new SupervisorClient(socket);
    if (!options.start) return undefined;
    await startSupervisor(home);
    // A new supervisor first stops what a killed one left running: servers may take seconds to stop.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const next = await tryConnect(path);
      if (next) return new SupervisorClient(next);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new BerthError("BERTH_SUPERVISOR_START", "the supervisor did not start within 30 s", {
      hint: `see ${join(home, "supervisor.log")}`,
    });
  }

  /** Calls one method of the protocol; events it sends meanwhile go to `onEvent`. */
  request<M extends Method>(
    method: M,
    params: Params<M>,
    onEvent?: (event: RuntimeEvent) => void,
  ): Promise<Result<M>>;
  request(method: Method, params: object, onEvent?: (event: RuntimeEvent) => void): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, ...(onEvent ? { onEvent } : {}) });
      send(this.#socket, { id, method, params });
    });
  }

  /** Asks the supervisor to cancel this connection's attached `up`. */
  cancel(): void {
    send(this.#socket, { id: 0, method: "cancel", params: {} });
  }

  close(): void {
    this.#socket.end();
  }
}

function tryConnect(path: string): Promise<Socket | undefined> {
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

/** Loaded here, not up front: most commands find the supervisor running. */
async function startSupervisor(home: string): Promise<void> {
  const { spawn } = await import("node:child_process");
  ensurePrivateDir(home);
  const log = openSync(join(home, "supervisor.log"), "a", 0o600);
  const main = supervisorMain();
  // A small young generation: the supervisor's garbage is small and short-lived, its resident memory matters.
  // Code is optimised once it is hot over time (8× V8's budget), not because one `up` ran it: optimising
  // lukewarm code was a sixth of the supervisor's CPU during an `up` of 26 processes (bench/RESULTS.md).
  const flags = ["--max-semi-space-size=1", "--interrupt-budget=540672"];
  const child = spawn(process.execPath, [...flags, main, home], {
    cwd: home,
    detached: true,
    stdio: ["ignore", log, log],
  });
  child.unref();
}

/**
 * The supervisor's entry: beside this module in the bundle (a chunk in dist/bundle/chunks), above it in tsc's
 * output (dist/daemon.js), or, when tests run the TypeScript sources, the bundle in dist.
 */
function supervisorMain(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, "..", "supervisor.js"),
    join(here, "..", "daemon.js"),
    join(here, "..", "..", "dist", "bundle", "supervisor.js"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw new Error(`bug: the supervisor's entry is not built (looked in ${candidates.join(", ")})`);
  return found;
}

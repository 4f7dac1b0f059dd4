import { createServer, type Server, type Socket } from "node:net";
import { GroupList, Guardian, Registry, stopProcesses } from "../processes/index.js";
import { Servers } from "../providers/index.js";
import { Followers } from "../reload/index.js";
import { collectWhenQuiet } from "./collect-when-quiet.js";
import type { DashboardHost, StartDashboard } from "./dashboard-host.js";
import { errorData } from "./error-data.js";
import type { Connection, Daemon, Emit, Handler, HandlerIO } from "./handler.js";
import { handlers } from "./handlers/index.js";
import { describeProcesses } from "./handlers/status.js";
import { Observers } from "./observers.js";
import type { DashboardAddress, ErrorData, Method, Result } from "./protocol.js";
import { describeIssues, paramSchemas, requestSchema } from "./protocol-schemas.js";
import { onMessages, send } from "./socket.js";
import { Workspaces } from "./workspaces.js";

/**
 * The supervisor: one per state folder, serving the CLI on a unix socket. Commands that change what
 * runs (up, down, restart) are serialised; the others answer at once.
 */
export class Supervisor implements Daemon {
  readonly registry: Registry;
  readonly servers: Servers;
  readonly serverUsers = new Map<string, Set<string>>();
  readonly workspaces: Workspaces;
  readonly followers: Followers;
  readonly ups = new Set<{ controller: AbortController; root: string }>();
  readonly observers = new Observers();
  readonly #server: Server;
  readonly #startDashboard: StartDashboard | undefined;
  #dashboard: Promise<DashboardAddress> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #holder: { what: string; since: Date } | undefined;
  #closing = false;

  constructor(home: string, hooks: { startDashboard?: StartDashboard } = {}) {
    this.#startDashboard = hooks.startDashboard;
    this.registry = new Registry(home, new Guardian(new GroupList(home)));
    this.registry.listen((event, process) => this.observers.processEvent(event, process));
    this.servers = new Servers(home);
    this.workspaces = new Workspaces(this.registry, this.servers, this.serverUsers);
    this.followers = new Followers({
      context: {
        registry: this.registry,
        servers: this.servers,
        serverUsers: this.serverUsers,
        resolve: (root) => this.workspaces.at(root),
      },
      serialised: (what, work) => this.serialised(what, () => {}, work),
      track: (root, controller) => {
        const entry = { controller, root };
        this.ups.add(entry);
        return () => this.ups.delete(entry);
      },
    });
    this.#server = createServer((socket) => this.#serve(socket));
  }

  listen(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(path, () => resolve());
    });
  }

  #serve(socket: Socket): void {
    const connection: Connection = { socket };
    socket.on("error", () => {});
    onMessages(socket, (message) => {
      const request = requestSchema.safeParse(message);
      if (!request.success) {
        const id = (message as { id?: unknown } | null)?.id;
        send(socket, {
          id: typeof id === "number" ? id : 0,
          error: protocolError(`a malformed request: ${describeIssues(request.error)}`),
        });
        return;
      }
      const { id, method } = request.data;
      if (method === "cancel") {
        connection.cancel?.abort();
        return;
      }
      if (!Object.hasOwn(handlers, method)) {
        send(socket, { id, error: protocolError(`unknown method ${JSON.stringify(method)}`) });
        return;
      }
      const emit: Emit = (event) => send(socket, { id, event });
      const served = serve(this, method as Method, request.data.params ?? {}, { emit, connection });
      if ("issues" in served) {
        send(socket, {
          id,
          error: protocolError(
            `bad ${method} request: ${served.issues}`,
            "a library call's options do not match its types (a workspace's call needs `root`, its folder), or the supervisor is from another version of berth: `berth down --all` stops it (and what it runs); the next command starts a new one",
          ),
        });
        return;
      }
      served.answer.then(
        (result) => send(socket, { id, result: result ?? null }),
        (error: unknown) => send(socket, { id, error: errorData(error) }),
      );
    });
  }

  serialised<T>(what: string, emit: Emit, work: () => Promise<T>): Promise<T> {
    // Formatted only for a client that waits: a locale's time format costs a millisecond or two.
    if (this.#holder)
      emit({
        type: "lock",
        holder: `${this.#holder.what} (started ${this.#holder.since.toLocaleTimeString()})`,
      });
    const run = this.#queue.then(async () => {
      this.#holder = { what, since: new Date() };
      try {
        return await work();
      } finally {
        this.#holder = undefined;
        collectWhenQuiet();
      }
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  upContext(emit: Emit, signal: AbortSignal) {
    return {
      registry: this.registry,
      servers: this.servers,
      serverUsers: this.serverUsers,
      resolve: (root: string) => this.workspaces.at(root),
      emit,
      signal,
    };
  }

  dashboard(): Promise<DashboardAddress> {
    const start = this.#startDashboard;
    if (!start) return Promise.reject(new Error("bug: this supervisor was started without its dashboard"));
    this.#dashboard ??= start(this.#dashboardHost()).catch((error: unknown) => {
      this.#dashboard = undefined;
      throw error;
    });
    return this.#dashboard;
  }

  #dashboardHost(): DashboardHost {
    return {
      home: this.registry.home,
      observers: this.observers,
      processes: async () => {
        const processes = this.registry.all();
        const statuses = await describeProcesses(processes);
        return processes.map((process, index) => {
          const status = statuses[index] as (typeof statuses)[number];
          const ended = ["crashed", "failed", "backoff"].includes(status.state);
          return {
            ...status,
            roots: this.observers.rootsOf(process),
            ...(ended ? { last_lines: process.lastLines() } : {}),
          };
        });
      },
      followed: () => this.followers.describe().map((watching) => watching.root),
    };
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await stopProcesses(this.registry, this.registry.all());
    this.registry.guardian.close();
    this.#server.close();
    process.exit(0);
  }
}

/** Checks a request's parameters against its method's schema, then hands them to the method's handler. */
function serve<M extends Method>(
  daemon: Daemon,
  method: M,
  raw: unknown,
  io: HandlerIO,
): { issues: string } | { answer: Promise<Result<M>> } {
  const params = paramSchemas[method].safeParse(raw);
  if (!params.success) return { issues: describeIssues(params.error) };
  const handler: Handler<M> = handlers[method];
  return { answer: handler(daemon, params.data, io) };
}

/** A request the protocol does not allow: the client and this supervisor disagree. */
function protocolError(
  message: string,
  hint = "is the supervisor from another version of berth? `berth down --all` stops it (and what it runs); the next command starts a new one",
): ErrorData {
  return { code: "BERTH_PROTOCOL", message, hint };
}

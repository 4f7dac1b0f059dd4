import { setMaxListeners } from "node:events";
import { existsSync, statSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { BerthError, userErrorsOf } from "../errors/index.js";
import type { RunTask } from "../graph/index.js";
import { assertKnownTargets, nothingRunningError } from "../graph/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import { manifestPath } from "../manifest/index.js";
import type { ProcessStatus, SupervisedProcess } from "../processes/index.js";
import {
  exposedListeners,
  GroupList,
  Guardian,
  groupRss,
  Registry,
  stopProcesses,
} from "../processes/index.js";
import { destroyCodebases, Servers } from "../providers/index.js";
import { restoreSnapshot, type SnapshotContext, saveSnapshot } from "../snapshots/index.js";
import { ownedProcesses, refreshRunning, restartFromManifest, up, upThenRefresh } from "../up/index.js";
import { resolveWorkspace, type Workspace } from "../workspace/index.js";
import { collectWhenQuiet } from "./collect-when-quiet.js";
import type { ErrorData, Request } from "./protocol.js";
import { onMessages, send } from "./socket.js";

type Emit = (event: RuntimeEvent) => void;
type Handler = (params: Record<string, unknown>, emit: Emit, connection: Connection) => Promise<unknown>;

interface Connection {
  socket: Socket;
  /** Set while an attached `up` runs: a `cancel` aborts it. */
  cancel?: AbortController;
}

/**
 * The supervisor: one per state folder, serving the CLI on a unix socket. Commands that change what
 * runs (up, down, restart) are serialised; the others answer at once.
 */
export class Supervisor {
  readonly registry: Registry;
  readonly servers: Servers;
  /** Codebase folders that claimed each server (by server key). */
  readonly serverUsers = new Map<string, Set<string>>();
  readonly #server: Server;
  #queue: Promise<unknown> = Promise.resolve();
  #holder: { what: string; since: Date } | undefined;
  readonly #workspaces = new Map<string, { workspace: Workspace; fingerprint: string }>();
  #closing = false;
  /** Every `up` in progress or attached, with its workspace's root folder: a `down` of it cancels it. */
  readonly #ups = new Set<{ controller: AbortController; root: string }>();

  constructor(home: string) {
    this.registry = new Registry(home, new Guardian(new GroupList(home)));
    this.servers = new Servers(home);
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
      const request = message as Request;
      if (request.method === "cancel") {
        connection.cancel?.abort();
        return;
      }
      const handler = this.#handlers[request.method];
      const emit: Emit = (event) => send(socket, { id: request.id, event });
      if (!handler) {
        send(socket, {
          id: request.id,
          error: { code: "BERTH_PROTOCOL", message: `unknown method ${request.method}`, bug: true },
        });
        return;
      }
      handler(request.params ?? {}, emit, connection).then(
        (result) => send(socket, { id: request.id, result: result ?? null }),
        (error: unknown) => send(socket, { id: request.id, error: errorData(error) }),
      );
    });
  }

  /** Runs `work` after every earlier change finished; a waiting client is told what it waits for. */
  #serialised<T>(what: string, emit: Emit, work: () => Promise<T>): Promise<T> {
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

  readonly #handlers: Record<string, Handler> = {
    ping: async () => ({
      pid: process.pid,
      processes: this.registry.all().length,
      memory: process.memoryUsage(),
    }),

    up: async (params, toClient, connection) => {
      const controller = new AbortController();
      // Every running task and awaited readiness listens for a cancel.
      setMaxListeners(0, controller.signal);
      connection.cancel = controller;
      const root = String(params.root);
      // A client that shows no output (`up -d`) is not sent every line the processes print while they start.
      const emit: Emit =
        params.lines === false ? (event) => event.type !== "line" && toClient(event) : toClient;
      // Only this workspace's processes are streamed: the supervisor runs every workspace of the state folder.
      const workspace = await this.#workspace(root).catch(() => undefined);
      const ours = workspace ? this.#belongsTo(workspace) : () => false;
      const unlisten = this.registry.listen((event, process) => (!process || ours(process)) && emit(event));
      const pending = { controller, root: workspace?.root.dir ?? root };
      this.#ups.add(pending);
      try {
        const result = await this.#serialised(`berth up in ${root}`, emit, () =>
          upThenRefresh(this.#upContext(emit, controller.signal), {
            root,
            codebases: (params.codebases as string[]) ?? [],
            env: (params.env as NodeJS.ProcessEnv) ?? {},
            trustAll: params.trustAll === true,
            ...(Array.isArray(params.force) ? { force: params.force as string[] } : {}),
            ...(Array.isArray(params.only) ? { only: params.only as string[] } : {}),
            ...(typeof params.run === "object" && params.run ? { run: params.run as RunTask } : {}),
            reset: params.reset === true,
          }),
        );
        if (params.follow === true && result.ok) {
          emit({ type: "up", result });
          // Attached: stream logs until the client cancels (stopping what it started) or goes away.
          await new Promise<void>((resolve) => {
            controller.signal.addEventListener("abort", () => resolve(), { once: true });
            connection.socket.once("close", () => resolve());
          });
          if (controller.signal.aborted) {
            const started = new Set(result.started);
            unlisten();
            // Read when its turn comes: a `down` before it may have stopped them already.
            await this.#serialised("stopping an attached berth up", emit, () =>
              stopProcesses(
                this.registry,
                this.registry.all().filter((process) => started.has(process.name)),
              ),
            );
            const reason = controller.signal.reason;
            if (reason instanceof BerthError)
              return { ...result, ok: false, failed: { step: "up", message: reason.message, lines: [] } };
          }
        }
        return result;
      } finally {
        unlisten();
        this.#ups.delete(pending);
      }
    },

    down: async (params, emit) => {
      // An up of the same workspace still starting would only be undone: it is cancelled, and says so.
      const root = params.all === true ? undefined : (await this.#workspaceOf(params))?.root.dir;
      const cancelled: string[] = [];
      for (const up of this.#ups) {
        if (root !== undefined && up.root !== root) continue;
        up.controller.abort(new BerthError("BERTH_CANCELLED", "cancelled by `berth down`"));
        cancelled.push(`berth up in ${up.root}`);
      }
      if (cancelled.length > 0) emit({ type: "cancelled", what: cancelled });
      return this.#serialised("berth down", emit, async () => {
        const workspace = params.all === true ? undefined : await this.#workspaceOf(params);
        const processes =
          params.all === true
            ? this.registry.all()
            : [
                ...new Set([
                  ...(await this.#processesOf(params, workspace)),
                  ...ownedProcesses(
                    this.registry,
                    workspace,
                    (params.codebases as string[] | undefined) ?? [],
                  ),
                ]),
              ];
        const started = performance.now();
        const stopped = await stopProcesses(this.registry, processes);
        const dirs = [...(await this.#dirsOf(params, workspace)), ...processes.map(({ spec }) => spec.dir)];
        if (params.all !== true)
          stopped.push(...(await this.#releaseServers([...new Set(dirs)], params.keepServers === true)));
        const ms = Math.round((performance.now() - started) * 10) / 10;
        if (params.all === true) setImmediate(() => void this.close());
        return { stopped, ms };
      });
    },

    destroy: async (params, emit) =>
      this.#serialised("berth destroy", emit, async () => {
        const workspace = await this.#workspace(String(params.root));
        await this.#processesOf(params, workspace); // refuses a name the workspace does not have
        const result = await destroyCodebases(this, workspace, (params.codebases as string[]) ?? []);
        await this.#releaseServers(await this.#dirsOf(params, workspace), false);
        return result;
      }),

    restart: async (params, emit) => {
      return this.#serialised(`berth restart ${String(params.target)}`, emit, async () => {
        const workspace = await this.#workspaceOf(params);
        const processes = await this.#processesOf(params, workspace);
        if (!workspace || processes.length === 0) {
          throw nothingRunningError("restart", [String(params.target)]);
        }
        return restartFromManifest(
          {
            registry: this.registry,
            servers: this.servers,
            workspace,
            hostEnv: (params.env as NodeJS.ProcessEnv) ?? {},
            trustAll: params.trustAll === true,
          },
          processes,
        );
      });
    },

    // A save whose client went away (Ctrl-C) stops its dumps and keeps nothing; a restore, once begun, is
    // finished, as a database half restored is worse than either state.
    "snapshot-save": async (params, emit, connection) => {
      const cancel = new AbortController();
      connection.socket.once("close", () => cancel.abort());
      return this.#serialised(`berth snapshot save ${String(params.name)}`, emit, async () =>
        saveSnapshot(
          await this.#snapshotContext(params),
          String(params.name),
          (params.codebases as string[] | undefined) ?? [],
          cancel.signal,
        ),
      );
    },

    "snapshot-restore": async (params, emit) =>
      this.#serialised(`berth snapshot restore ${String(params.name)}`, emit, async () =>
        restoreSnapshot(await this.#snapshotContext(params), String(params.name)),
      ),

    status: async (params) => this.#status(params),

    wait: async (params) => {
      const processes = await this.#processesOf(params);
      // Nothing to wait for is not "ready": a CI script that forgot `up` must fail here, not later.
      if (processes.length === 0)
        throw nothingRunningError("wait", (params.codebases as string[] | undefined) ?? []);
      const timeoutMs = Number(params.timeoutMs ?? 60_000);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const outcome = await Promise.race([
        Promise.all(processes.map((process) => process.whenReady())),
        timeout,
      ]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        const waiting = processes.filter((process) => process.state !== "ready");
        throw new BerthError(
          "BERTH_WAIT_TIMEOUT",
          `still not ready after ${timeoutMs / 1000} s: ${waiting.map((process) => `${process.name} (${process.state}${process.waiting ? `: ${process.waiting}` : ""})`).join("; ")}`,
          { hint: "see `berth status` and `berth logs`" },
        );
      }
      return { ready: processes.map((process) => process.name) };
    },
  };

  /** What `up` works with: this supervisor's processes, servers and remembered workspaces. */
  #upContext(emit: Emit, signal: AbortSignal) {
    return {
      registry: this.registry,
      servers: this.servers,
      serverUsers: this.serverUsers,
      resolve: (root: string) => this.#workspace(root),
      emit,
      signal,
    };
  }

  /** What a snapshot save or restore of a request's workspace needs: claims made by an up that runs no task. */
  async #snapshotContext(params: Record<string, unknown>): Promise<SnapshotContext> {
    const root = String(params.root);
    const workspace = await this.#workspace(root);
    return {
      home: this.registry.home,
      workspace,
      servers: this.servers,
      ensureClaims: async (codebases) => {
        const result = await up(
          this.#upContext(() => {}, new AbortController().signal),
          {
            root,
            codebases: [...codebases],
            env: (params.env as NodeJS.ProcessEnv) ?? {},
            trustAll: params.trustAll === true,
            only: [],
          },
        );
        if (!result.ok)
          throw new BerthError(
            "BERTH_SERVERS_DOWN",
            `the databases could not be started: ${result.failed?.message ?? "unknown"}`,
            { hint: result.failed?.hint },
          );
      },
      restart: (codebases) =>
        refreshRunning(
          this.#upContext(() => {}, new AbortController().signal),
          { root, env: (params.env as NodeJS.ProcessEnv) ?? {}, trustAll: params.trustAll === true },
          workspace,
          codebases,
        ),
    };
  }

  /** Whether a process is the workspace's: one of its codebases, run by it, or a server it claims. */
  #belongsTo(workspace: Workspace): (process: SupervisedProcess) => boolean {
    const dirs = new Set([...workspace.codebases.values()].map((codebase) => codebase.dir));
    return (process) => {
      if (dirs.has(process.spec.dir) || process.owners.has(workspace.root.dir)) return true;
      if (process.spec.process !== "server") return false;
      const record = this.servers.server(process.spec.codebase);
      if (record?.dataDir !== process.spec.dir) return false;
      return [...(this.serverUsers.get(record.key) ?? [])].some((dir) => dirs.has(dir));
    };
  }

  /** The workspace of a request's root (undefined when the folder has no manifest). */
  async #workspaceOf(params: Record<string, unknown>): Promise<Workspace | undefined> {
    const root = String(params.root);
    if (!existsSync(manifestPath(root))) return undefined;
    return this.#workspace(root);
  }

  /** A workspace whose manifests, lockfile and links are unchanged since it was last read is not read again. */
  async #workspace(root: string): Promise<Workspace> {
    const cached = this.#workspaces.get(root);
    if (cached && cached.fingerprint === fingerprint(cached.workspace, this.registry.home))
      return cached.workspace;
    const workspace = await resolveWorkspace({ root, home: this.registry.home });
    this.#workspaces.set(root, { workspace, fingerprint: fingerprint(workspace, this.registry.home) });
    return workspace;
  }

  async #processesOf(params: Record<string, unknown>, resolved?: Workspace): Promise<SupervisedProcess[]> {
    const workspace = resolved ?? (await this.#workspaceOf(params));
    if (!workspace) return [];
    const targets = [
      ...((params.codebases as string[] | undefined) ?? []),
      ...(params.target ? [String(params.target)] : []),
    ];
    const wanted = (process: SupervisedProcess) => {
      const codebase = [...workspace.codebases.values()].find(
        (candidate) => candidate.dir === process.spec.dir,
      );
      if (!codebase) return false;
      return (
        targets.length === 0 ||
        targets.some(
          (target) => target === codebase.name || target === `${codebase.name}/${process.spec.process}`,
        )
      );
    };
    assertKnownTargets(workspace, targets);
    return this.registry.all().filter(wanted);
  }

  /** The folders of a workspace's codebases (or of the named ones). */
  async #dirsOf(params: Record<string, unknown>, resolved?: Workspace): Promise<string[]> {
    const workspace = resolved ?? (await this.#workspaceOf(params));
    if (!workspace) return [];
    const names = (params.codebases as string[] | undefined) ?? [];
    return [...workspace.codebases.values()]
      .filter((codebase) => names.length === 0 || names.includes(codebase.name))
      .map((codebase) => codebase.dir);
  }

  /** The codebases are down: servers no running workspace claims any more stop, unless kept. */
  async #releaseServers(dirs: readonly string[], keep: boolean): Promise<string[]> {
    const idle: SupervisedProcess[] = [];
    for (const [key, users] of this.serverUsers) {
      for (const dir of dirs) users.delete(dir);
      if (users.size > 0 || keep) continue;
      const record = this.servers.server(key);
      const process = record && this.registry.get(record.dataDir, "server");
      if (process) idle.push(process);
      this.serverUsers.delete(key);
    }
    return stopProcesses(this.registry, idle);
  }

  async #status(params: Record<string, unknown>): Promise<ProcessStatus[]> {
    let processes = this.registry.all();
    if (params.root && params.all !== true) {
      const workspace = await this.#workspaceOf(params);
      const own = [
        ...new Set([
          ...(await this.#processesOf({ root: params.root }, workspace)),
          ...ownedProcesses(this.registry, workspace, []),
        ]),
      ];
      const dirs = new Set(await this.#dirsOf({ root: params.root }, workspace));
      const servers = [...this.serverUsers.entries()]
        .filter(([, users]) => [...users].some((dir) => dirs.has(dir)))
        .flatMap(([key]) => {
          const record = this.servers.server(key);
          const server = record && this.registry.get(record.dataDir, "server");
          return server ? [server] : [];
        });
      processes = [...servers, ...own];
    }
    const rss = groupRss(new Set(processes.flatMap((process) => (process.pid ? [process.pid] : []))));
    const exposed = exposedListeners(
      new Map(processes.flatMap(({ pid, instance }) => (pid ? [[pid, instance]] : []))),
    );
    return processes
      .map((process) => process.status(rss, exposed))
      .sort((a, b) => `${a.codebase}/${a.process}`.localeCompare(`${b.codebase}/${b.process}`));
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

function errorData(error: unknown): ErrorData {
  if (error instanceof BerthError) {
    const all = userErrorsOf(error);
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.location ? { location: error.location } : {}),
      ...(all.length > 1 || all[0] !== error ? { errors: all.map(errorData) } : {}),
    };
  }
  return {
    code: "BERTH_BUG",
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    bug: true,
  };
}

/** The modification times of a workspace's manifests, its lockfile and the links file: what a re-read would see. */
function fingerprint(workspace: Workspace, home: string): string {
  const sources = [...workspace.codebases.values()].flatMap((codebase) => codebase.loaded.sources);
  const files = [...sources, workspace.lockfile.file, join(home, "links.json")];
  return files.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(",");
}

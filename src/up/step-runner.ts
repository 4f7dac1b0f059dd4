import { resolve } from "node:path";
import type { Environment } from "../environment/index.js";
import { createDataFolders, processSpec, renderFiles, secretClaimOutputs } from "../environment/index.js";
import { BerthError } from "../errors/index.js";
import type { Step } from "../graph/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import { codebaseLogsDir } from "../logs/index.js";
import { claimOutputNames, durationMs } from "../manifest/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { assertPortFree } from "../processes/index.js";
import type { ProviderClaims, Servers } from "../providers/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import { type ClaimData, isEmpty, loadArchive } from "../snapshots/index.js";
import { ClaimStore, TaskCache } from "../state/index.js";
import { createdPathsExist, keyOfTask, runClaimTask, runTask } from "../tasks/index.js";
import type { Codebase, Workspace } from "../workspace/index.js";
import type { StepOutcome } from "./executor.js";

/** What a step runner needs of the `up` it serves. */
export interface StepContext {
  registry: Registry;
  servers: Servers;
  serverUsers: Map<string, Set<string>>;
  emit: (event: RuntimeEvent) => void;
  signal: AbortSignal;
}

/** What the runner needs of the `up`'s parameters. */
export interface StepParams {
  codebases: string[];
  force?: string[] | undefined;
  reset?: boolean | undefined;
}

/** What each kind of step does. */
export class StepRunner {
  readonly #cache: TaskCache;
  readonly #rendered = new Set<string>();
  readonly #reset = new Set<string>();

  constructor(
    readonly workspace: Workspace,
    readonly environment: Environment,
    readonly ports: Map<string, number>,
    readonly claims: ProviderClaims,
    readonly context: StepContext,
    readonly started: SupervisedProcess[],
    readonly params: StepParams,
  ) {
    this.#cache = new TaskCache(context.registry.home);
  }

  async run(step: Step): Promise<StepOutcome> {
    switch (step.kind) {
      case "server": {
        const wanted = [...this.claims.values()].filter(
          ({ server, constraint }) => server.kind === step.provider && constraint === step.version,
        );
        const keys = new Set(wanted.map(({ server }) => server.key));
        for (const key of keys) {
          const server = this.context.servers.server(key);
          if (server) await this.context.servers.start(server, this.context.registry);
        }
        return "done";
      }
      case "claim":
        return step.provider ? this.#providerClaim(step) : this.#codebaseClaim(step);
      case "start":
        return this.#start(step);
      case "ready": {
        const process = this.#process(step);
        if (process.state === "ready") return "skipped";
        await abortable(process.whenReady(), this.context.signal);
        return "done";
      }
      default:
        return this.#task(step);
    }
  }

  async #providerClaim(step: Step): Promise<StepOutcome> {
    const consumer = this.#codebase(step);
    const found = this.claims.get(`${consumer.name}#${step.alias}`);
    if (!found) throw new Error(`bug: no claim decided for ${step.id}`);
    const server = this.context.servers.server(found.server.key) ?? found.server;
    const provider = PROVIDER_IMPLEMENTATIONS[server.kind];
    await this.context.servers.start(server, this.context.registry);
    const started = this.context.servers.server(server.key) ?? server;
    const made = this.context.servers.claimOf(consumer.dir, step.alias ?? "")?.madeIn === started.epoch;
    if (!made) {
      await provider.claim(started, found.claim.grant);
      this.context.servers.markMade(consumer.dir, step.alias ?? "", started.epoch);
    }
    const users = this.context.serverUsers.get(server.key) ?? new Set();
    users.add(consumer.dir);
    this.context.serverUsers.set(server.key, users);
    if (this.params.reset && this.#asked(consumer.name) && !this.#reset.has(step.id)) {
      this.#reset.add(step.id);
      await provider.reset(server, found.claim.grant);
      this.context.servers.bumpGeneration(consumer.dir, step.alias ?? "");
      this.context.emit({
        type: "line",
        codebase: consumer.name,
        name: "berth",
        stream: "berth",
        line: `reset ${step.alias}: its data was dropped and recreated`,
        t: Date.now(),
      });
    }
    return "done";
  }

  /** The codebase's provider claims as the dump tools take them, by alias. */
  #claimData(codebase: Codebase): Map<string, ClaimData> {
    const claims = new Map<string, ClaimData>();
    for (const [key, { claim }] of this.claims) {
      const [owner, alias] = key.split("#");
      const server = this.context.servers.server(claim.server);
      if (owner === codebase.name && alias && server) claims.set(alias, { server, grant: claim.grant });
    }
    return claims;
  }

  async #load(
    codebase: Codebase,
    archive: string,
    claims: Map<string, ClaimData>,
    what: string,
  ): Promise<void> {
    const loaded = await loadArchive(archive, codebase.name, claims);
    const line = `loaded ${loaded.join(", ")} from ${archive}`;
    this.context.emit({
      type: "line",
      codebase: codebase.name,
      name: `task-${what}`,
      stream: "berth",
      line,
      t: Date.now(),
    });
  }

  #prepare(codebase: Codebase): void {
    if (this.#rendered.has(codebase.name)) return;
    this.#rendered.add(codebase.name);
    renderFiles(this.context.registry.home, codebase, this.environment);
    createDataFolders(codebase);
  }

  async #task(step: Step): Promise<StepOutcome> {
    const codebase = this.#codebase(step);
    const name = step.task ?? step.kind;
    const task = codebase.loaded.manifest.tasks?.[name];
    if (!task) return "skipped";
    this.#prepare(codebase);
    const env = this.environment.env(codebase.name);
    const key = keyOfTask(codebase, name, this.environment, this.context.servers) ?? "";
    const forced = this.#forced(name, codebase.name);
    const fresh = this.#cache.isFresh(codebase.dir, name, key) && createdPathsExist(codebase, name);
    if (!forced && fresh) return "skipped";
    const claims = this.#claimData(codebase);
    if (task.baseline !== undefined) {
      const empty = await Promise.all([...claims.values()].map((claim) => isEmpty(claim)));
      if (empty.every(Boolean))
        await this.#load(codebase, resolve(codebase.dir, task.baseline), claims, "baseline");
    }
    if (task.run === undefined) {
      await this.#load(codebase, resolve(codebase.dir, task.snapshot ?? ""), claims, name);
      this.#cache.remember(
        codebase.dir,
        name,
        keyOfTask(codebase, name, this.environment, this.context.servers) ?? key,
      );
      return "done";
    }
    const command = this.environment.command(codebase.name, ["tasks", name, "run"], task.run);
    await runTask({
      codebase: codebase.name,
      task: name,
      command,
      dir: codebase.dir,
      env,
      secrets: this.environment.secrets(codebase.name),
      logsDir: codebaseLogsDir(this.context.registry.home, codebase.name, codebase.dir),
      timeoutMs: task.timeout === undefined ? undefined : durationMs(task.timeout, 0),
      emit: this.context.emit,
      signal: this.context.signal,
      onGroup: {
        start: (pgid) => this.context.registry.guardian.watch(pgid),
        end: (pgid) => this.context.registry.guardian.forget(pgid),
      },
    });
    // Taken again after the run: the data's identity is read fresh (a reset may have changed it).
    const done = keyOfTask(codebase, name, this.environment, this.context.servers) ?? key;
    this.#cache.remember(codebase.dir, name, done);
    this.context.servers.keepTaskRecord(codebase.dir, name, done);
    return "done";
  }

  async #codebaseClaim(step: Step): Promise<StepOutcome> {
    const consumer = this.#codebase(step);
    const providing = this.workspace.codebases.get(step.provider_codebase ?? "");
    const claim = providing?.loaded.manifest.tasks?.claim;
    if (!providing || !claim || !step.alias)
      throw new Error(`bug: claim step ${step.id} without a claim task`);
    if (this.claimIsCurrent(step)) return "skipped";
    const store = new ClaimStore(this.context.registry.home);
    const key = keyOfTask(providing, "claim", this.environment, this.context.servers) ?? "";
    const outputs = await runClaimTask({
      codebase: providing.name,
      task: "claim",
      consumer: consumer.name,
      outputs: claimOutputNames(providing.loaded.manifest),
      secretOutputs: secretClaimOutputs(providing.loaded.manifest),
      command: this.environment.command(providing.name, ["tasks", "claim", "run"], claim.run ?? "true"),
      dir: providing.dir,
      env: this.environment.env(providing.name),
      secrets: this.environment.secrets(providing.name),
      logsDir: codebaseLogsDir(this.context.registry.home, providing.name, providing.dir),
      emit: this.context.emit,
      signal: this.context.signal,
    });
    store.set(consumer.dir, step.alias, outputs);
    this.#cache.remember(providing.dir, `claim:${consumer.name}`, key);
    return "done";
  }

  async #start(step: Step): Promise<StepOutcome> {
    const codebase = this.#codebase(step);
    const name = step.process ?? "";
    const port = this.ports.get(`${codebase.name}/${name}`);
    const spec = processSpec(this.workspace, this.environment, codebase.name, name, port);
    const { registry } = this.context;
    const existing = registry.get(codebase.dir, name);
    const alive = existing && ["starting", "ready", "backoff"].includes(existing.state);
    if (existing && alive && existing.spec.hash === spec.hash) {
      existing.owners.add(this.workspace.root.dir);
      return "skipped";
    }
    if (existing) await existing.stop();
    if (port !== undefined) await assertPortFree(port, `${codebase.name}/${name}`);
    this.#prepare(codebase);
    const serverDirs = [...this.claims.entries()]
      .filter(([key]) => key.startsWith(`${codebase.name}#`))
      .map(([, { server }]) => server.dataDir);
    const process = registry.add({ ...spec, requires: [...spec.requires, ...serverDirs] });
    process.owners.add(this.workspace.root.dir);
    process.start();
    this.started.push(process);
    return "done";
  }

  /**
   * A codebase claim step with nothing to run: the consumer has its outputs, made by the same command on the
   * same data (cached like any task, per consumer), and no one forces it. Not while a value it reads is unmade.
   */
  claimIsCurrent(step: Step): boolean {
    const consumer = this.#codebase(step);
    const providing = this.workspace.codebases.get(step.provider_codebase ?? "");
    if (!providing || !step.alias || this.#forced("claim", providing.name)) return false;
    const made = new ClaimStore(this.context.registry.home).get(consumer.dir, step.alias);
    try {
      const key = keyOfTask(providing, "claim", this.environment, this.context.servers) ?? "";
      return made !== undefined && this.#cache.isFresh(providing.dir, `claim:${consumer.name}`, key);
    } catch (error) {
      if (error instanceof BerthError) return false;
      throw error;
    }
  }

  /**
   * A task runs although its inputs are unchanged when asked by name for an asked codebase (`berth migrate
   * web`), or all are (`up --force`): what it needs of other codebases runs only if it changed.
   */
  #forced(task: string, codebase: string): boolean {
    const force = this.params.force ?? [];
    return force.includes("*") || (force.includes(task) && this.#asked(codebase));
  }

  /** The asked codebases: those named, or else the workspace's own. */
  #asked(codebase: string): boolean {
    const { codebases } = this.params;
    return codebases.length > 0 ? codebases.includes(codebase) : codebase === this.workspace.root.name;
  }

  #process(step: Step): SupervisedProcess {
    const process = this.context.registry.get(this.#codebase(step).dir, step.process ?? "");
    if (!process) throw new Error(`bug: ${step.id} has no process`);
    return process;
  }

  #codebase(step: Step) {
    const codebase = this.workspace.codebases.get(step.codebase ?? "");
    if (!codebase) throw new Error(`bug: step ${step.id} names no codebase of the workspace`);
    return codebase;
  }
}

/** `promise`, or a rejection as soon as the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new BerthError("BERTH_CANCELLED", "cancelled"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BerthError("BERTH_CANCELLED", "cancelled"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

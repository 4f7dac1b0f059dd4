import { resolve } from "node:path";
import { BerthError } from "../errors/index.js";
import { type Plan, planUp, type Step } from "../graph/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import { type ClaimData, isEmpty } from "../snapshots/dumps.js";
import { loadArchive } from "../snapshots/load.js";
import { ClaimStore } from "../state/index.js";
import { type Codebase, resolveWorkspace, TrustStore, type Workspace } from "../workspace/index.js";
import { decideClaims, environmentFor, type ProviderClaims } from "./bindings.js";
import { runClaimTask } from "./claim-task.js";
import { durationMs } from "./duration.js";
import type { Environment } from "./environment.js";
import { executeSteps, type StepOutcome } from "./executor.js";
import { renderFiles } from "./files.js";
import { codebaseLogsDir } from "./paths.js";
import { assertPortFree } from "./ports.js";
import type { RuntimeEvent, UpResult } from "./protocol.js";
import type { Registry } from "./registry.js";
import type { Servers } from "./servers.js";
import { processSpec } from "./specs.js";
import { stopProcesses } from "./stop.js";
import type { SupervisedProcess } from "./supervised-process.js";
import { TaskCache } from "./task-cache.js";
import { createdPathsExist, keyOfTask } from "./task-identity.js";
import { runTask } from "./task-runner.js";
import { decidePorts } from "./values.js";

export interface UpParams {
  root: string;
  codebases: string[];
  env: NodeJS.ProcessEnv;
  trustAll: boolean;
  /** Run these tasks even when their inputs are unchanged (`--force`, `berth migrate`, `berth run`). */
  force?: string[];
  /** Only these tasks (and the servers and claims they need): `berth migrate`, `seed`, `run`. */
  only?: string[];
  /** Drop and recreate the claimed data of the asked codebases first (`seed --reset`). */
  reset?: boolean;
}

interface UpContext {
  registry: Registry;
  servers: Servers;
  /** Codebase folders that claim each server: a server stops when its last claimant is down. */
  serverUsers: Map<string, Set<string>>;
  emit: (event: RuntimeEvent) => void;
  signal: AbortSignal;
}

/** `berth up`: plan, then run every step as parallel as the plan allows; on cancel, stop what it started. */
export async function up(context: UpContext, params: UpParams): Promise<UpResult> {
  const { registry, emit, signal } = context;
  const home = registry.home;
  const workspace = await resolveWorkspace({ root: params.root, home });
  const full = planUp(workspace, params.codebases);
  const plan = params.only ? tasksOnly(full, workspace, params.only, params.codebases) : full;
  const manifests = plan.codebases.flatMap((name) => workspace.codebases.get(name)?.loaded ?? []);
  new TrustStore(home).assertTrusted(manifests, params.trustAll);
  const ports = await decidePorts(
    home,
    workspace,
    plan.codebases,
    (dir, process) => registry.get(dir, process)?.running ?? false,
  );
  const claims = await decideClaims(context.servers, workspace, plan);
  const environment = environmentFor(home, workspace, ports, claims, params.env);
  const started: SupervisedProcess[] = [];
  const steps = new StepRunner(workspace, environment, ports, claims, context, started, params);

  const running = new Set<string>();
  const ticker = setInterval(() => explainWaits(plan.steps, running, workspace, registry, emit), 500);
  const startedAt = new Map<string, number>();
  let result: Awaited<ReturnType<typeof executeSteps>>;
  try {
    result = await executeSteps(
      plan.steps,
      (step) => steps.run(step),
      {
        onStart(step) {
          running.add(step.id);
          startedAt.set(step.id, Date.now());
          emit({ type: "step", step: step.id, state: "running" });
        },
        onEnd(step, outcome, error) {
          running.delete(step.id);
          const ms = Date.now() - (startedAt.get(step.id) ?? Date.now());
          const detail = error instanceof Error ? error.message : undefined;
          emit({ type: "step", step: step.id, state: outcome, ms, ...(detail ? { detail } : {}) });
        },
      },
      signal,
    );
  } finally {
    clearInterval(ticker);
  }

  if (signal.aborted) {
    await stopProcesses(registry, started);
    return {
      ok: false,
      started: [],
      ready: [],
      failed: { step: "up", message: "cancelled; stopped what this `up` started", lines: [] },
    };
  }
  const ready = plan.steps
    .filter((step) => step.kind === "ready")
    .map((step) => ({
      codebase: step.codebase ?? "",
      process: step.process ?? "",
      port: ports.get(`${step.codebase}/${step.process}`) ?? null,
    }));
  if (!result.failure) return { ok: true, started: started.map((process) => process.name), ready };
  const { step, error } = result.failure;
  const failedProcess = step.process
    ? registry.get(workspace.codebases.get(step.codebase ?? "")?.dir ?? "", step.process)
    : undefined;
  return {
    ok: false,
    started: started.map((process) => process.name),
    ready,
    failed: {
      step: step.id,
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof BerthError && error.hint ? { hint: error.hint } : {}),
      lines: failedProcess?.lastLines().slice(-10) ?? [],
    },
  };
}

/** What each kind of step does. */
class StepRunner {
  readonly #cache: TaskCache;
  readonly #rendered = new Set<string>();
  readonly #reset = new Set<string>();

  constructor(
    readonly workspace: Workspace,
    readonly environment: Environment,
    readonly ports: Map<string, number>,
    readonly claims: ProviderClaims,
    readonly context: UpContext,
    readonly started: SupervisedProcess[],
    readonly params: UpParams,
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
    if (
      this.params.reset &&
      (this.params.codebases.length === 0 || this.params.codebases.includes(consumer.name)) &&
      !this.#reset.has(step.id)
    ) {
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
  }

  async #task(step: Step): Promise<StepOutcome> {
    const codebase = this.#codebase(step);
    const name = step.task ?? step.kind;
    const task = codebase.loaded.manifest.tasks?.[name];
    if (!task) return "skipped";
    this.#prepare(codebase);
    const env = this.environment.env(codebase.name);
    const key = keyOfTask(codebase, name, this.environment, this.context.servers) ?? "";
    const forced = this.params.force?.includes(name) || this.params.force?.includes("*");
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
    this.#cache.remember(
      codebase.dir,
      name,
      keyOfTask(codebase, name, this.environment, this.context.servers) ?? key,
    );
    return "done";
  }

  async #codebaseClaim(step: Step): Promise<StepOutcome> {
    const consumer = this.#codebase(step);
    const providing = this.workspace.codebases.get(step.provider_codebase ?? "");
    const claim = providing?.loaded.manifest.tasks?.claim;
    if (!providing || !claim || !step.alias)
      throw new Error(`bug: claim step ${step.id} without a claim task`);
    // Cached like any task, per consumer: the same command and data need no new registration.
    const store = new ClaimStore(this.context.registry.home);
    const cacheName = `claim:${consumer.name}`;
    const key = keyOfTask(providing, "claim", this.environment, this.context.servers) ?? "";
    const forced = this.params.force?.includes("claim") || this.params.force?.includes("*");
    if (!forced && this.#cache.isFresh(providing.dir, cacheName, key) && store.get(consumer.dir, step.alias))
      return "skipped";
    const outputs = await runClaimTask({
      codebase: providing.name,
      task: "claim",
      consumer: consumer.name,
      outputs: claim.outputs ?? [],
      command: this.environment.command(providing.name, ["tasks", "claim", "run"], claim.run ?? "true"),
      dir: providing.dir,
      env: this.environment.env(providing.name),
      logsDir: codebaseLogsDir(this.context.registry.home, providing.name, providing.dir),
      emit: this.context.emit,
      signal: this.context.signal,
    });
    store.set(consumer.dir, step.alias, outputs);
    this.#cache.remember(providing.dir, cacheName, key);
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
    if (existing && alive && existing.spec.hash === spec.hash) return "skipped";
    if (existing) await existing.stop();
    if (port !== undefined) await assertPortFree(port, `${codebase.name}/${name}`);
    this.#prepare(codebase);
    const serverDirs = [...this.claims.entries()]
      .filter(([key]) => key.startsWith(`${codebase.name}#`))
      .map(([, { server }]) => server.dataDir);
    const process = registry.add({ ...spec, requires: [...spec.requires, ...serverDirs] });
    process.start();
    this.started.push(process);
    return "done";
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

/** For each readiness still awaited: what it waits for and who waits on it. */
function explainWaits(
  steps: readonly Step[],
  running: Set<string>,
  workspace: Workspace,
  registry: Registry,
  emit: UpContext["emit"],
): void {
  for (const step of steps) {
    if (step.kind !== "ready" || !running.has(step.id)) continue;
    const process = registry.get(workspace.codebases.get(step.codebase ?? "")?.dir ?? "", step.process ?? "");
    if (!process?.waiting) continue;
    const waiters = steps
      .filter((other) => other.kind === "start" && other.after.includes(step.id))
      .map((other) => `${other.codebase}/${other.process}`);
    const who = waiters.length > 0 ? `${waiters.join(", ")}: waiting for ` : "";
    emit({ type: "waiting", step: step.id, reason: `${who}${process.name}: ${process.waiting}` });
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

/**
 * The steps for `berth migrate`, `seed` and `run`: the asked tasks of the asked codebases, after the servers
 * and provider claims they need (and the tasks before them in the lifecycle, for `seed`).
 */
function tasksOnly(
  plan: Plan,
  workspace: Workspace,
  tasks: readonly string[],
  asked: readonly string[],
): Plan {
  const codebases = asked.length > 0 ? asked : [workspace.root.name];
  const steps: Step[] = [];
  for (const step of plan.steps) {
    if (!step.codebase || !codebases.includes(step.codebase)) continue;
    if (step.kind === "claim" && step.provider) steps.push(step);
  }
  const servers = new Set(steps.map((step) => step.provider));
  steps.unshift(...plan.steps.filter((step) => step.kind === "server" && servers.has(step.provider)));
  for (const codebase of codebases) {
    let previous = steps
      .filter((step) => step.codebase === codebase && step.kind === "claim")
      .map((step) => step.id);
    for (const task of tasks) {
      if (!workspace.codebases.get(codebase)?.loaded.manifest.tasks?.[task]) continue;
      const id = `task:${codebase}/${task}`;
      steps.push({ id, kind: "seed", task, codebase, after: previous });
      previous = [id];
    }
  }
  return { codebases: plan.codebases, steps };
}

import { BerthError } from "../errors/index.js";
import { planUp, type Step } from "../graph/index.js";
import { ClaimStore } from "../state/index.js";
import { resolveWorkspace, TrustStore, type Workspace } from "../workspace/index.js";
import { runClaimTask } from "./claim-task.js";
import { durationMs } from "./duration.js";
import type { Environment } from "./environment.js";
import { executeSteps, type StepOutcome } from "./executor.js";
import { codebaseLogsDir } from "./paths.js";
import { assertPortFree } from "./ports.js";
import type { RuntimeEvent, UpResult } from "./protocol.js";
import type { Registry } from "./registry.js";
import { processSpec } from "./specs.js";
import { stopProcesses } from "./stop.js";
import type { SupervisedProcess } from "./supervised-process.js";
import { runTask } from "./task-runner.js";
import { decidePorts, environmentFor } from "./values.js";

export interface UpParams {
  root: string;
  codebases: string[];
  env: NodeJS.ProcessEnv;
  trustAll: boolean;
}

interface UpContext {
  registry: Registry;
  emit: (event: RuntimeEvent) => void;
  signal: AbortSignal;
}

/** `berth up`: plan, then run every step as parallel as the plan allows; on cancel, stop what it started. */
export async function up(context: UpContext, params: UpParams): Promise<UpResult> {
  const { registry, emit, signal } = context;
  const home = registry.home;
  const t0 = performance.now();
  const workspace = await resolveWorkspace({ root: params.root, home });
  const plan = planUp(workspace, params.codebases);
  const manifests = plan.codebases.flatMap((name) => workspace.codebases.get(name)?.loaded ?? []);
  new TrustStore(home).assertTrusted(manifests, params.trustAll);
  const ports = await decidePorts(
    home,
    workspace,
    plan.codebases,
    (dir, process) => registry.get(dir, process)?.running ?? false,
  );
  const environment = environmentFor(home, workspace, ports, params.env);
  const t1 = performance.now();
  const started: SupervisedProcess[] = [];
  const steps = new StepRunner(workspace, environment, ports, context, started);

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

  if (process.env.BERTH_TIMING)
    process.stderr.write(
      `up: prepare ${(t1 - t0).toFixed(1)} ms, steps ${(performance.now() - t1).toFixed(1)} ms\n`,
    );
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
  constructor(
    readonly workspace: Workspace,
    readonly environment: Environment,
    readonly ports: Map<string, number>,
    readonly context: UpContext,
    readonly started: SupervisedProcess[],
  ) {}

  async run(step: Step): Promise<StepOutcome> {
    switch (step.kind) {
      case "server":
      case "claim":
        if (step.provider) {
          throw new BerthError(
            "BERTH_PROVIDER_UNSUPPORTED",
            `the ${step.provider} provider is not available in this build of Berth`,
            {
              hint: "run the codebases that need no provider, or use a Berth with providers",
            },
          );
        }
        return this.#codebaseClaim(step);
      case "install":
      case "migrate":
      case "seed":
        return this.#task(step);
      case "start":
        return this.#start(step);
      case "ready": {
        const process = this.#process(step);
        if (process.state === "ready") return "skipped";
        await abortable(process.whenReady(), this.context.signal);
        return "done";
      }
    }
  }

  async #task(step: Step): Promise<StepOutcome> {
    const codebase = this.#codebase(step);
    const task = codebase.loaded.manifest.tasks?.[step.kind];
    if (!task) return "skipped";
    await runTask({
      codebase: codebase.name,
      task: step.kind,
      command: this.environment.command(codebase.name, ["tasks", step.kind, "run"], task.run),
      dir: codebase.dir,
      env: this.environment.env(codebase.name),
      logsDir: codebaseLogsDir(this.context.registry.home, codebase.name, codebase.dir),
      timeoutMs: task.timeout === undefined ? undefined : durationMs(task.timeout, 0),
      emit: this.context.emit,
      signal: this.context.signal,
      onGroup: {
        start: (pgid) => this.context.registry.guardian.watch(pgid),
        end: (pgid) => this.context.registry.guardian.forget(pgid),
      },
    });
    return "done";
  }

  async #codebaseClaim(step: Step): Promise<StepOutcome> {
    const consumer = this.#codebase(step);
    const providing = this.workspace.codebases.get(step.provider_codebase ?? "");
    const claim = providing?.loaded.manifest.tasks?.claim;
    if (!providing || !claim || !step.alias)
      throw new Error(`bug: claim step ${step.id} without a claim task`);
    const outputs = await runClaimTask({
      codebase: providing.name,
      task: "claim",
      consumer: consumer.name,
      outputs: claim.outputs ?? [],
      command: this.environment.command(providing.name, ["tasks", "claim", "run"], claim.run),
      dir: providing.dir,
      env: this.environment.env(providing.name),
      logsDir: codebaseLogsDir(this.context.registry.home, providing.name, providing.dir),
      emit: this.context.emit,
      signal: this.context.signal,
    });
    new ClaimStore(this.context.registry.home).set(consumer.dir, step.alias, outputs);
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
    const process = registry.add(spec);
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

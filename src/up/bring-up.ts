import { decidePorts, environmentFor } from "../environment/index.js";
import { BerthError } from "../errors/index.js";
import { planUp, type RunTask, runPlan, tasksOnly, withoutWorkOfCurrentClaims } from "../graph/index.js";
import type { RuntimeEvent, UpResult } from "../logs/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { stopProcesses } from "../processes/index.js";
import type { Servers } from "../providers/index.js";
import { decideClaims } from "../providers/index.js";
import { TrustStore, type Workspace } from "../workspace/index.js";
import { executeSteps } from "./executor.js";
import { outdatedProcesses, stopOutdated } from "./outdated.js";
import type { ReloadRequest } from "./step-context.js";
import { StepRunner } from "./step-runner.js";
import { assertToolchains } from "./toolchain-check.js";
import { explainWaits, notRunning, processOf } from "./waits.js";

export interface UpParams {
  root: string;
  codebases: string[];
  env: NodeJS.ProcessEnv;
  trustAll: boolean;
  /** Run these tasks even when their inputs are unchanged (`--force`, `berth migrate`, `berth run`). */
  force?: string[];
  /** Only these tasks (and the servers and claims they need): `berth migrate`, `seed`, `run`. */
  only?: string[];
  /** `berth run`: one task the codebase must declare (a claim task for one consumer). */
  run?: RunTask;
  /** Drop and recreate the claimed data of the asked codebases first (`seed --reset`). */
  reset?: boolean;
  /** A reload: what restarts although unchanged (see `ReloadRequest`). */
  reload?: ReloadRequest;
}

export interface UpContext {
  registry: Registry;
  /** The workspace at a root folder, resolved (or remembered while unchanged). */
  resolve: (root: string) => Promise<Workspace>;
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
  const workspace = await context.resolve(params.root);
  const full = planUp(workspace, params.codebases);
  let plan = params.run
    ? runPlan(workspace, params.codebases, params.run)
    : params.only
      ? tasksOnly(full, workspace, params.only, params.codebases)
      : full;
  const manifests = plan.codebases.flatMap((name) => workspace.codebases.get(name)?.loaded ?? []);
  new TrustStore(home).assertTrusted(manifests, params.trustAll);
  assertToolchains(home, workspace, plan.codebases, params.env);
  const ports = await decidePorts(
    home,
    workspace,
    plan.codebases,
    (dir, process) => registry.get(dir, process)?.running ?? false,
  );
  const claims = await decideClaims(context.servers, workspace, plan);
  const environment = environmentFor(home, workspace, ports, claims, params.env);
  const outdated = params.only ? [] : outdatedProcesses(registry, workspace, plan.codebases);
  await stopOutdated(registry, outdated, context.serverUsers);
  for (const { process, reason } of outdated) emit({ type: "stopped", process: process.name, reason });
  const started: SupervisedProcess[] = [];
  const steps = new StepRunner(workspace, environment, ports, claims, context, started, params);
  if (params.only) plan = withoutWorkOfCurrentClaims(plan, (step) => steps.claimIsCurrent(step));

  const running = new Set<string>();
  const ticker = setInterval(
    () => explainWaits(plan.steps, running, workspace, registry, emit, steps.waiting),
    500,
  );
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
      failed: {
        step: "up",
        message: `${signal.reason instanceof BerthError ? signal.reason.message : "cancelled"}; stopped what this \`up\` started`,
        lines: [],
      },
    };
  }
  const ready = plan.steps
    .filter((step) => step.kind === "ready")
    .map((step) => ({
      codebase: step.codebase,
      process: step.process,
      port: ports.get(`${step.codebase}/${step.process}`) ?? null,
    }));
  const down = result.failure ? undefined : notRunning(plan.steps, workspace, registry);
  if (down) {
    return {
      ok: false,
      started: started.map((process) => process.name),
      ready,
      failed: {
        step: `ready:${down.name}`,
        message: `${down.name} ${down.state === "backoff" ? "stopped and waits to be restarted" : `is ${down.state}`}${down.reason ? `: ${down.reason}` : ""}`,
        hint: `see \`berth logs ${down.name}\`; fix it, then \`berth restart ${down.name}\``,
        lines: down.lastLines().slice(-10),
      },
    };
  }
  if (!result.failure) return { ok: true, started: started.map((process) => process.name), ready };
  const { step, error } = result.failure;
  const failedProcess =
    step.kind === "start" || step.kind === "ready" ? processOf(step, workspace, registry) : undefined;
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

import { claimOutputNames, type ProviderKind } from "../manifest/index.js";
import type { Workspace } from "../workspace/index.js";
import { cycleError, findCycles } from "./cycles.js";
import { selectCodebases } from "./select.js";

/** What every step has: `after` lists the steps it waits for. */
interface StepBase {
  id: string;
  after: string[];
}

/** Start the server of a provider kind (and version). It works for no one codebase: a server serves many. */
export interface ServerStep extends StepBase {
  kind: "server";
  codebase?: never;
  provider: ProviderKind;
  version?: string;
}

/** A codebase's claim of a provider (a database on a server); `alias` is the requirement's name. */
export interface ProviderClaimStep extends StepBase {
  kind: "claim";
  codebase: string;
  alias: string;
  provider: ProviderKind;
  provider_codebase?: never;
}

/** A codebase's claim of a providing codebase: the providing codebase's `claim` task runs for it. */
export interface CodebaseClaimStep extends StepBase {
  kind: "claim";
  codebase: string;
  alias: string;
  provider?: never;
  provider_codebase: string;
}

export type ClaimStep = ProviderClaimStep | CodebaseClaimStep;

/** The standard tasks `up` runs, in this order; the kind names the task. */
export const STANDARD_TASKS = ["install", "migrate", "seed"] as const;
export type StandardTask = (typeof STANDARD_TASKS)[number];

export interface StandardTaskStep extends StepBase {
  kind: StandardTask;
  codebase: string;
}

/** A task asked by name (`berth run`, `migrate`, `seed`): `task` names it. */
export interface TaskStep extends StepBase {
  kind: "task";
  codebase: string;
  task: string;
}

export interface StartStep extends StepBase {
  kind: "start";
  codebase: string;
  process: string;
}

export interface ReadyStep extends StepBase {
  kind: "ready";
  codebase: string;
  process: string;
}

/** Wait for an `external:` requirement of a codebase: Berth neither starts nor stops it. */
export interface ExternalStep extends StepBase {
  kind: "external";
  codebase: string;
  alias: string;
}

/** One unit of work of `up`. */
export type Step =
  | ServerStep
  | ClaimStep
  | ExternalStep
  | StandardTaskStep
  | TaskStep
  | StartStep
  | ReadyStep;

export type StepKind = Step["kind"];

export interface Plan {
  /** The codebases planned: those asked for and everything they require. */
  codebases: string[];
  /** In an order that respects `after`. */
  steps: Step[];
}

/**
 * The steps of `up` for the asked codebases and their transitive requirements: provider server → claim →
 * install → migrate → seed → process start → ready (an external requirement is waited for where a claim
 * is); a consumer's seed and processes wait for the
 * readiness of the codebases it requires. Pure: it reads only the resolved workspace.
 */
export function planUp(workspace: Workspace, asked: readonly string[] = []): Plan {
  const cycles = findCycles(workspace);
  if (cycles[0]) throw cycleError(cycles[0]);
  const selected = selectCodebases(workspace, asked);
  const steps = new Map<string, Step>();
  const add = (step: Step) => {
    if (!steps.has(step.id)) steps.set(step.id, step);
    return step.id;
  };
  const readyOf = (name: string): string[] => {
    const processes = Object.keys(workspace.codebases.get(name)?.loaded.manifest.processes ?? {});
    return processes.length > 0 ? processes.map((process) => `ready:${name}/${process}`) : lastTaskOf(name);
  };
  const lastTaskOf = (name: string): string[] => {
    const tasks = workspace.codebases.get(name)?.loaded.manifest.tasks ?? {};
    const last = [...STANDARD_TASKS].reverse().find((task) => tasks[task] !== undefined);
    return last ? [`${last}:${name}`] : [];
  };

  for (const name of dependencyOrder(workspace, selected)) {
    const manifest = workspace.codebases.get(name)?.loaded.manifest;
    if (!manifest) continue;
    const requires = workspace.dependencies.filter((entry) => entry.from === name);
    const providerClaims: string[] = [];
    const externals: string[] = [];
    const codebaseClaims: string[] = [];
    const required: string[] = [];
    for (const { alias, target } of requires) {
      if (target.kind === "provider") {
        const server = add({
          id: `server:${target.provider}${target.version ? `@${target.version}` : ""}`,
          kind: "server",
          provider: target.provider,
          ...(target.version ? { version: target.version } : {}),
          after: [],
        });
        providerClaims.push(
          add({
            id: `claim:${name}/${alias}`,
            kind: "claim",
            codebase: name,
            alias,
            provider: target.provider,
            after: [server],
          }),
        );
        continue;
      }
      if (target.kind === "external") {
        externals.push(
          add({ id: `external:${name}/${alias}`, kind: "external", codebase: name, alias, after: [] }),
        );
        continue;
      }
      required.push(...readyOf(target.name));
      const providing = workspace.codebases.get(target.name)?.loaded.manifest;
      const outputs = providing ? claimOutputNames(providing) : [];
      const consumer = workspace.codebases.get(name)?.loaded;
      // The claim task registers a consumer only if the consumer reads something it outputs.
      const readsOutputs = consumer?.pendingExports.some(
        (ref) => ref.alias === alias && outputs.includes(ref.key),
      );
      if (providing?.tasks?.claim && readsOutputs) {
        codebaseClaims.push(
          add({
            id: `claim:${name}/${alias}`,
            kind: "claim",
            codebase: name,
            alias,
            provider_codebase: target.name,
            after: [...lastTaskOf(target.name), ...readyOf(target.name)],
          }),
        );
      }
    }
    // A provider claim's exports are decided by Berth before its server runs, so `install` (which needs
    // no server) starts at once, in parallel with the servers; only a codebase claim's outputs are awaited.
    // An external is awaited as a claim is: by migrate, seed and the processes, not by install.
    const claims = [...providerClaims, ...externals, ...codebaseClaims];
    let previous = codebaseClaims;
    for (const task of STANDARD_TASKS) {
      if (!manifest.tasks?.[task]) continue;
      const waits =
        task === "install"
          ? previous
          : task === "seed"
            ? [...claims, ...previous, ...required]
            : [...claims, ...previous];
      previous = [add({ id: `${task}:${name}`, kind: task, codebase: name, after: unique(waits) })];
    }
    for (const process of Object.keys(manifest.processes ?? {})) {
      const start = add({
        id: `start:${name}/${process}`,
        kind: "start",
        codebase: name,
        process,
        after: unique([...claims, ...previous, ...required]),
      });
      add({ id: `ready:${name}/${process}`, kind: "ready", codebase: name, process, after: [start] });
    }
  }
  return {
    codebases: [...selected].sort(),
    steps: withoutImpliedWaits(topologicalOrder([...steps.values()])),
  };
}

/** Selected codebases, each after the ones it requires (the graph is known to be acyclic). */
function dependencyOrder(workspace: Workspace, selected: Set<string>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const entry of workspace.dependencies) {
      if (entry.from === name && entry.target.kind === "codebase") visit(entry.target.name);
    }
    order.push(name);
  };
  for (const name of [...selected].sort()) visit(name);
  return order;
}

function topologicalOrder(steps: Step[]): Step[] {
  const remaining = new Map(steps.map((step) => [step.id, new Set(step.after)]));
  const ordered: Step[] = [];
  while (ordered.length < steps.length) {
    const ready = steps.filter((step) => remaining.get(step.id)?.size === 0);
    if (ready.length === 0) throw new Error("bug: the step graph has a cycle although codebases have none");
    for (const step of ready) {
      remaining.delete(step.id);
      ordered.push(step);
    }
    for (const waiting of remaining.values()) for (const step of ready) waiting.delete(step.id);
  }
  return ordered;
}

/** Drops from each `after` the steps another of its waits already waits for, so a plan reads simply. */
function withoutImpliedWaits(ordered: Step[]): Step[] {
  const ancestors = new Map<string, Set<string>>();
  return ordered.map((step) => {
    const all = new Set<string>();
    for (const id of step.after) for (const ancestor of ancestors.get(id) ?? []) all.add(ancestor);
    const after = step.after.filter((id) => !all.has(id));
    for (const id of step.after) all.add(id);
    ancestors.set(step.id, all);
    return { ...step, after };
  });
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

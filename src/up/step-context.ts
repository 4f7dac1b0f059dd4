import type { Environment } from "../environment/index.js";
import { createDataFolders, renderFiles } from "../environment/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import type { ProviderClaims, Servers } from "../providers/index.js";
import type { ClaimData } from "../snapshots/index.js";
import { TaskCache } from "../state/index.js";
import type { Codebase, Workspace } from "../workspace/index.js";

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
  reload?: ReloadRequest | undefined;
}

/** What a reload asks of an `up` beyond bringing the manifests' state about. */
export interface ReloadRequest {
  /** Processes (`codebase/process`) restarted although unchanged: their watched files changed. */
  restart: string[];
  /** Codebases whose processes restart once one of their tasks ran in this `up` (their inputs changed). */
  afterTasks: string[];
}

/** One `up` as its steps see it: the decided values, what it started, and what it did once already. */
export class UpRun {
  readonly cache: TaskCache;
  readonly #rendered = new Set<string>();
  /** The claim steps whose data this `up` already reset. */
  readonly reset = new Set<string>();
  /** Codebases one of whose tasks ran in this `up` (was not skipped). */
  readonly ranTasks = new Set<string>();
  /** Codebases one of whose processes this `up` started again or replaced. */
  readonly restarted = new Set<string>();
  /** What each external step waits for, in words, while it waits. */
  readonly waiting = new Map<string, string>();

  constructor(
    readonly workspace: Workspace,
    readonly environment: Environment,
    readonly ports: Map<string, number>,
    readonly claims: ProviderClaims,
    readonly context: StepContext,
    readonly started: SupervisedProcess[],
    readonly params: StepParams,
  ) {
    this.cache = new TaskCache(context.registry.home);
  }

  codebase(name: string): Codebase {
    const codebase = this.workspace.codebases.get(name);
    if (!codebase) throw new Error(`bug: a step names ${name}, no codebase of the workspace`);
    return codebase;
  }

  /** Renders the codebase's files and creates its data folders, once per `up`. */
  prepare(codebase: Codebase): void {
    if (this.#rendered.has(codebase.name)) return;
    this.#rendered.add(codebase.name);
    renderFiles(this.context.registry.home, codebase, this.environment);
    createDataFolders(codebase);
  }

  /**
   * A task runs although its inputs are unchanged when asked by name for an asked codebase (`berth migrate
   * web`), or all are (`up --force`): what it needs of other codebases runs only if it changed.
   */
  forced(task: string, codebase: string): boolean {
    const force = this.params.force ?? [];
    return force.includes("*") || (force.includes(task) && this.asked(codebase));
  }

  /**
   * Whether a running process starts again although unchanged: a reload asked for it, its codebase's tasks
   * ran for a reload, or it requires with `cascade: true` a codebase restarted in this `up`.
   */
  mustRestart(codebase: string, process: string): boolean {
    const { reload } = this.params;
    if (reload?.restart.includes(`${codebase}/${process}`)) return true;
    if (reload?.afterTasks.includes(codebase) && this.ranTasks.has(codebase)) return true;
    return this.workspace.dependencies.some(
      (dependency) =>
        dependency.from === codebase &&
        dependency.cascade === true &&
        dependency.target.kind === "codebase" &&
        this.restarted.has(dependency.target.name),
    );
  }

  /** The asked codebases: those named, or else the workspace's own. */
  asked(codebase: string): boolean {
    const { codebases } = this.params;
    return codebases.length > 0 ? codebases.includes(codebase) : codebase === this.workspace.root.name;
  }

  /** The codebase's provider claims as the dump tools take them, by alias. */
  claimData(codebase: Codebase): Map<string, ClaimData> {
    const claims = new Map<string, ClaimData>();
    for (const [key, { claim }] of this.claims) {
      const [owner, alias] = key.split("#");
      const server = this.context.servers.server(claim.server);
      if (owner === codebase.name && alias && server) claims.set(alias, { server, grant: claim.grant });
    }
    return claims;
  }
}
